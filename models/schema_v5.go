package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Migration 202612020001_office: what running a whole office adds (issue
// 11): the heads' collective discussion of a case; case file numbers
// (authorities.case_prefix, cases.number), given to the cases filed before
// in id order, by the year they were filed in China. Frozen like
// schema_v1.go.

type v5Case struct {
	Number                 *string `gorm:"size:150;uniqueIndex"`
	DiscussionDate         string  `gorm:"size:10;not null;default:''"`
	DiscussionParticipants string  `gorm:"size:300;not null;default:''"`
	DiscussionConclusion   string  `gorm:"type:text"`
}

func (v5Case) TableName() string { return "cases" }

type v5Authority struct {
	CasePrefix string `gorm:"size:100;not null;default:''"`
}

func (v5Authority) TableName() string { return "authorities" }

var v5Columns = []struct {
	model any
	cols  []string
}{
	{&v5Case{}, []string{"DiscussionDate", "DiscussionParticipants", "DiscussionConclusion", "Number"}},
	{&v5Authority{}, []string{"CasePrefix"}},
}

func migrateV5(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, t := range v5Columns {
		for _, col := range t.cols {
			if !m.HasColumn(t.model, col) {
				if err := m.AddColumn(t.model, col); err != nil {
					return err
				}
			}
		}
	}
	if !m.HasIndex(&v5Case{}, "Number") {
		if err := m.CreateIndex(&v5Case{}, "Number"); err != nil {
			return err
		}
	}
	return numberCasesV5(fresh(tx))
}

// numberCasesV5 gives every authority its case prefix (derived from the
// decision prefix as the API derives it) and every case without a number
// the next of its authority's series for the year it was filed.
func numberCasesV5(db *gorm.DB) error {
	var auths []struct {
		ID           uint
		NumberPrefix string
		CasePrefix   string
	}
	if err := db.Table("authorities").Select("id, number_prefix, case_prefix").Find(&auths).Error; err != nil {
		return err
	}
	prefix := map[uint]string{}
	for _, a := range auths {
		p := a.CasePrefix
		if p == "" {
			p = deriveCasePrefixV5(a.NumberPrefix)
			if err := db.Table("authorities").Where("id = ?", a.ID).Update("case_prefix", p).Error; err != nil {
				return err
			}
		}
		prefix[a.ID] = p
	}
	var cases []struct {
		ID          uint
		AuthorityID uint
		CreatedAt   time.Time
	}
	if err := db.Table("cases").Select("id, authority_id, created_at").Where("number IS NULL").Order("id").Find(&cases).Error; err != nil {
		return err
	}
	type key struct {
		auth uint
		year int
	}
	last := map[key]int64{}
	for _, c := range cases {
		k := key{c.AuthorityID, c.CreatedAt.In(China).Year()}
		p := prefix[c.AuthorityID]
		if _, ok := last[k]; !ok {
			var seq struct{ Last int64 }
			if err := db.Table("number_sequences").Select("last").Where("authority_id = ? AND series = ? AND year = ?", k.auth, p, k.year).
				Limit(1).Find(&seq).Error; err != nil {
				return err
			}
			last[k] = seq.Last
		}
		last[k]++
		n := fmt.Sprintf("%s〔%d〕%d号", p, k.year, last[k])
		if err := db.Table("cases").Where("id = ?", c.ID).Update("number", n).Error; err != nil {
			return err
		}
	}
	for k, n := range last {
		p := prefix[k.auth]
		res := db.Table("number_sequences").Where("authority_id = ? AND series = ? AND year = ?", k.auth, p, k.year).Update("last", n)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if err := db.Exec("INSERT INTO number_sequences (authority_id, series, year, last) VALUES (?, ?, ?, ?)", k.auth, p, k.year, n).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// deriveCasePrefixV5 is DeriveCasePrefix as this migration knew it.
func deriveCasePrefixV5(numberPrefix string) string {
	for _, r := range [][2]string{{"行罚决字", "立字"}, {"处罚", "立字"}, {"（决）字", "（立）字"}} {
		if base, ok := strings.CutSuffix(numberPrefix, r[0]); ok {
			return base + r[1]
		}
	}
	return numberPrefix + "立字"
}

func rollbackV5(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	if err := m.DropIndex(&v5Case{}, "Number"); err != nil {
		return err
	}
	for _, t := range v5Columns {
		for _, col := range t.cols {
			if err := m.DropColumn(t.model, col); err != nil {
				return err
			}
		}
	}
	return nil
}
