package casework

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP TLS modes.
const (
	TLSNone     = "none"     // plain SMTP (a relay on the same host or network)
	TLSStartTLS = "starttls" // STARTTLS required
	TLSImplicit = "tls"      // implicit TLS (SMTPS, usually port 465)
)

// SMTPConfig is the mail server electronic service goes through.
type SMTPConfig struct {
	Host     string
	Port     int
	TLS      string // none, starttls or tls
	User     string
	Password string
	From     string
	// TLSConfig overrides the TLS settings (tests: a test certificate).
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// SMTPMailer sends through one SMTP server with go-mail.
type SMTPMailer struct{ cfg SMTPConfig }

// NewSMTPMailer checks cfg and builds the mailer.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	if cfg.Host == "" || cfg.From == "" {
		return nil, fmt.Errorf("smtp: host and from address are required")
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return nil, fmt.Errorf("smtp: TLS mode %q: want none, starttls or tls", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[cfg.TLS]
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	if err := gomail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("smtp: from address %q: %w", cfg.From, err)
	}
	return &SMTPMailer{cfg: cfg}, nil
}

// Send hands m to the server and answers the message id and the server's
// reply once the server accepted it.
func (m *SMTPMailer) Send(ctx context.Context, mail Mail) (Sent, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingB64))
	if err := msg.From(m.cfg.From); err != nil {
		return Sent{}, err
	}
	if err := msg.To(mail.To); err != nil {
		return Sent{}, err
	}
	msg.Subject(mail.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, mail.Body)
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(m.cfg.Timeout)}
	switch m.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if m.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(m.cfg.TLSConfig))
	}
	if m.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(m.cfg.User), gomail.WithPassword(m.cfg.Password))
	}
	c, err := gomail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return Sent{}, err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return Sent{}, err
	}
	return Sent{MessageID: strings.Trim(msg.GetMessageID(), "<>"), Reply: msg.ServerResponse()}, nil
}
