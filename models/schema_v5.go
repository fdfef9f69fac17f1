package models

import "gorm.io/gorm"

// Migration 202612020001_office: what running a whole office adds (issue
// 11): the heads' collective discussion of a case. Frozen like
// schema_v1.go.

type v5Case struct {
	DiscussionDate         string `gorm:"size:10;not null;default:''"`
	DiscussionParticipants string `gorm:"size:300;not null;default:''"`
	DiscussionConclusion   string `gorm:"type:text"`
}

func (v5Case) TableName() string { return "cases" }

var v5Columns = []struct {
	model any
	cols  []string
}{
	{&v5Case{}, []string{"DiscussionDate", "DiscussionParticipants", "DiscussionConclusion"}},
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
	return nil
}

func rollbackV5(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, t := range v5Columns {
		for _, col := range t.cols {
			if err := m.DropColumn(t.model, col); err != nil {
				return err
			}
		}
	}
	return nil
}
