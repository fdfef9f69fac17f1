package rules

import "fmt"

// Electronic service (电子送达) and the party's portal.

// LawCivilProcedure is the code whose service rules administrative
// penalty service follows (APL Art. 61 ¶1).
const LawCivilProcedure = "《中华人民共和国民事诉讼法》"

// ElectronicServiceBasis is what allows service by e-mail: the party's
// consent and signed confirmation of the address (APL Art. 61 ¶2).
var ElectronicServiceBasis = Article(LawAPL, 61, 2, 0)

// ElectronicServiceDate is the rule on the date of electronic service:
// the day the message reaches the recipient's system (CPL Art. 90 ¶2).
var ElectronicServiceDate = Article(LawCivilProcedure, 90, 2, 0)

// ElectronicServiceNote is the receipt's note of an electronic service:
// the address the party confirmed, when the mail server accepted the
// message, its id and the server's reply, and the rules it rests on.
func ElectronicServiceNote(to, consentDate, acceptedAt, messageID, reply string) string {
	return fmt.Sprintf("依据%s，经受送达人于%s确认的电子邮箱%s电子送达。邮件服务器于%s接受投递，邮件标识%s，服务器回复“%s”。依照%s，以电子邮件到达受送达人特定系统的日期为送达日期。",
		ElectronicServiceBasis, ChineseDate(consentDate), to, acceptedAt, messageID, reply, ElectronicServiceDate)
}

// ElectronicServiceMailNote is the sentence the service e-mail closes with.
func ElectronicServiceMailNote() string {
	return fmt.Sprintf("本邮件依据%s，按您确认的送达地址发送；依照%s，本邮件到达您的电子邮箱之日为送达日期。", ElectronicServiceBasis, ElectronicServiceDate)
}

// PortalStatementNote tells the party on the portal what a statement
// does (APL Art. 45: heard in full, never a heavier penalty for it).
var PortalStatementNote = fmt.Sprintf("依据%s，执法机关必须充分听取您的意见，对您提出的事实、理由和证据进行复核；您提出的事实、理由或者证据成立的，应当予以采纳；执法机关不因您陈述、申辩而给予更重的处罚。", Article(LawAPL, 45, 0, 0))
