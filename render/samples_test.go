package render

import (
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

var samplesDir = flag.String("samples", "", "write a PNG of every kind's sample (all pages side by side) to this directory, e.g. ../docs/samples")

// TestSamples makes the pictures in docs/samples:
//
//	go test ./render -run TestSamples -samples ../docs/samples
func TestSamples(t *testing.T) {
	if *samplesDir == "" {
		t.Skip("-samples not given")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	if err := os.MkdirAll(*samplesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, kind := range Kinds() {
		for _, party := range parties {
			for _, draft := range []bool{false, true} {
				if draft && kind != "penalty_decision" {
					continue
				}
				d := SampleData(kind, party)
				d.Draft = draft
				name := kind + "_" + party
				if draft {
					name += "_draft"
				}
				pdf := artifact(t, name+".pdf", render(t, kind, d))
				tmp := t.TempDir()
				if out, err := exec.Command("pdftoppm", "-png", "-r", "40", pdf, filepath.Join(tmp, "p")).CombinedOutput(); err != nil {
					t.Fatalf("pdftoppm: %v %s", err, out)
				}
				pages, _ := filepath.Glob(filepath.Join(tmp, "p-*.png"))
				sort.Strings(pages)
				if err := stitch(pages, filepath.Join(*samplesDir, name+".png")); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// stitch puts page images side by side on a grey background.
func stitch(files []string, out string) error {
	var imgs []image.Image
	w, h := 8, 0
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return err
		}
		img, err := png.Decode(r)
		r.Close()
		if err != nil {
			return err
		}
		imgs = append(imgs, img)
		w += img.Bounds().Dx() + 8
		h = max(h, img.Bounds().Dy()+16)
	}
	dst := image.NewPaletted(image.Rect(0, 0, w, h), grey16())
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.Gray{0xb0}), image.Point{}, draw.Src)
	x := 8
	for _, img := range imgs {
		draw.Draw(dst, image.Rect(x, 8, x+img.Bounds().Dx(), 8+img.Bounds().Dy()), img, img.Bounds().Min, draw.Src)
		x += img.Bounds().Dx() + 8
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	return (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, dst)
}

// grey16 is a small palette: greys and a few reds (the seal), for small files.
func grey16() color.Palette {
	var p color.Palette
	for i := range 24 {
		v := uint8(i * 255 / 23)
		p = append(p, color.Gray{v})
	}
	for _, v := range []uint8{0x80, 0xa0, 0xc0, 0xd4, 0xe8} {
		p = append(p, color.RGBA{v, 0x1e, 0x24, 0xff}, color.RGBA{0xff, v, v, 0xff})
	}
	return p
}
