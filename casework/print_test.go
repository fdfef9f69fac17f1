package casework

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"penaltydoc/models"
)

// TestPrintOrder: documents in the order chosen, each followed by its
// receipts (chosen, then added); a chosen receipt moves after its document
// when that is in the batch, else stays where it was chosen; an id chosen
// twice prints twice.
func TestPrintOrder(t *testing.T) {
	serves := func(id, doc uint) models.Document { return models.Document{ID: id, ServesID: &doc} }
	doc := func(id uint) models.Document { return models.Document{ID: id} }
	for _, tc := range []struct {
		name   string
		chosen []models.Document
		extra  []models.Document
		want   string
	}{
		{"as chosen", []models.Document{doc(1), doc(3)}, nil, "[1 3]"},
		{"receipt first", []models.Document{serves(2, 1), doc(1)}, nil, "[1 2]"},
		{"receipts added", []models.Document{doc(3), doc(1)}, []models.Document{serves(2, 1), serves(4, 3)}, "[3 4 1 2]"},
		{"chosen and added once", []models.Document{serves(4, 3), doc(3)}, []models.Document{serves(4, 3)}, "[3 4]"},
		{"receipt alone", []models.Document{serves(2, 1), doc(3)}, nil, "[2 3]"},
		{"twice", []models.Document{doc(1), doc(1)}, []models.Document{serves(2, 1)}, "[1 2 1 2]"},
	} {
		var ids []uint
		for _, d := range printOrder(tc.chosen, tc.extra) {
			ids = append(ids, d.ID)
		}
		if got := fmt.Sprint(ids); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestBlankPage: the duplex blank page is a valid one-page PDF of the size
// asked for.
func TestBlankPage(t *testing.T) {
	conf := model.NewDefaultConfiguration()
	dims, err := api.PageDims(bytes.NewReader(blankPage(595.28, 841.89)), conf)
	if err != nil || len(dims) != 1 || dims[0].Width != 595.28 || dims[0].Height != 841.89 {
		t.Fatalf("blank page: %v %v", dims, err)
	}
	if err := api.Validate(bytes.NewReader(blankPage(595.28, 841.89)), conf); err != nil {
		t.Errorf("blank page does not validate: %v", err)
	}
}
