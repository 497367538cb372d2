"""Where each desk command lives in the team API: one table for the server and its client."""

from __future__ import annotations

from teams import commands as c

TEAM_PREFIX = "/api/v1/team"

# command → (method, path under /api/v1/team, the field the path names)
COMMAND_ENDPOINTS: dict[type[c.Command], tuple[str, str, str | None]] = {
    c.SendQuote: ("POST", "/inquiries/{inquiry_id:path}/quote", "inquiry_id"),
    c.ReviseQuote: ("POST", "/inquiries/{inquiry_id:path}/revise", "inquiry_id"),
    c.DeclineInquiry: ("POST", "/inquiries/{inquiry_id:path}/decline", "inquiry_id"),
    c.FollowUp: ("POST", "/inquiries/{inquiry_id:path}/follow-up", "inquiry_id"),
    c.ApproveDiscount: ("POST", "/approvals/{approval_id:path}/approve", "approval_id"),
    c.RejectDiscount: ("POST", "/approvals/{approval_id:path}/reject", "approval_id"),
    c.SendReminder: ("POST", "/invoices/{invoice_id:path}/reminder", "invoice_id"),
    c.HandOverToCollection: ("POST", "/invoices/{invoice_id:path}/collection", "invoice_id"),
    c.WriteOff: ("POST", "/invoices/{invoice_id:path}/write-off", "invoice_id"),
    c.ResolveComplaint: ("POST", "/complaints/{complaint_id:path}/resolve", "complaint_id"),
    c.RequestSurvey: ("POST", "/customers/{customer_id:path}/survey", "customer_id"),
    c.CheckCredit: ("POST", "/customers/{customer_id:path}/credit-check", "customer_id"),
    c.SetCreditLimit: ("PUT", "/customers/{customer_id:path}/credit-limit", "customer_id"),
    c.CareForAccount: ("POST", "/customers/{customer_id:path}/care", "customer_id"),
    c.AddNote: ("POST", "/customers/{customer_id:path}/notes", "customer_id"),
    c.LaunchCampaign: ("POST", "/campaigns", None),
    c.SetQuotePolicy: ("PUT", "/policies/quotes/{segment}", "segment"),
    c.SetReminderPolicy: ("PUT", "/policies/reminders", None),
    c.SetApologyPolicy: ("PUT", "/policies/apology", None),
}
