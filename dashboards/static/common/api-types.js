// The API's shapes for the pages' type checks: generated from /openapi.json by
// `python -m server.api.jsdoc > dashboards/static/common/api-types.js` — do not edit by hand.
// The models live in server/api/answers/ (docs/api.md, "Answers").

/**
 * @typedef {Object} AccountCared
 * @property {"account_cared"} kind - always 'account_cared'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {number} cost
 * @property {string} customer_id
 */

/**
 * @typedef {Object} AddNoteBody
 * @property {string} text
 */

/**
 * @typedef {Object} AnnouncementIn
 * @property {string} text
 */

/**
 * The instructor told every team something.
 * @typedef {Object} AnnouncementMade
 * @property {"announcement_made"} kind - always 'announcement_made'
 * @property {number} seq
 * @property {number} t
 * @property {string} text
 */

/**
 * Automation: answer minor complaints with an apology.
 * @typedef {Object} ApologyPolicySet
 * @property {"apology_policy_set"} kind - always 'apology_policy_set'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {boolean} enabled
 */

/**
 * @typedef {Object} Approval
 * @property {string} approval_id
 * @property {string} inquiry_id
 * @property {number} discount
 * @property {number} unit_price
 * @property {number} terms_days
 * @property {number} delivery_days
 * @property {number} installments
 * @property {string} requested_by
 * @property {number} requested_t
 * @property {string} status
 * @property {string} reason
 */

/**
 * @typedef {Object} ApprovalDecided
 * @property {"approval_decided"} kind - always 'approval_decided'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} approval_id
 * @property {string} inquiry_id
 * @property {boolean} approved
 * @property {string} reason
 */

/**
 * A quote whose discount exceeds the sender's authority waits for the manager.
 * @typedef {Object} ApprovalRequested
 * @property {"approval_requested"} kind - always 'approval_requested'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} approval_id
 * @property {string} inquiry_id
 * @property {number} discount
 * @property {number} unit_price
 * @property {number} terms_days
 * @property {number} delivery_days
 * @property {number} installments
 * @property {string} role
 */

/**
 * @typedef {Object<string, *>} ApproveDiscountBody
 */

/**
 * One award to one team. ``place`` is the standing rank for the winner and the medals, 1 for the figure awards; ``value`` is the figure that won it (composite for the winner and medals; mean reply hours; receivables index; satisfaction index; % of complaints resolved within SLA). ``tie_rule`` is the award's rule from ``AWARD_RULES``.
 * @typedef {Object} Award
 * @property {string} award
 * @property {string} team
 * @property {number} place
 * @property {(number|null)} value
 * @property {string} tie_rule
 */

/**
 * Each award's rule, ties included.
 * @typedef {Object} AwardRules
 * @property {string} winner
 * @property {string} gold
 * @property {string} silver
 * @property {string} bronze
 * @property {string} fastest_reply
 * @property {string} best_collector
 * @property {string} happiest_customers
 * @property {string} best_recovery
 */

/**
 * Winner, medals and the metric awards.
 * @typedef {Object} Awards
 * @property {boolean} final - whether the competition has finished
 * @property {Medals} medals
 * @property {AwardRules} rules
 * @property {Array<Award>} awards
 */

/**
 * A freeze, unfreeze, reveal or medal change: what, who and when.
 * @typedef {Object} BoardChange
 * @property {string} action - freeze, unfreeze, reveal or medals
 * @property {(number|null)} [freeze_t] - freeze, unfreeze, reveal: the freeze's simulated hour
 * @property {(number|null)} [gold] - medals: the places
 * @property {(number|null)} [silver]
 * @property {(number|null)} [bronze]
 * @property {string} by
 * @property {number} at - wall-clock time (Unix seconds)
 */

/**
 * A reference bot's mean figures over the seasons played.
 * @typedef {Object} BotMeans
 * @property {string} bot
 * @property {(number|null)} [composite]
 * @property {(number|null)} [conversion]
 * @property {(number|null)} [satisfaction]
 * @property {(number|null)} [receivables]
 * @property {(number|null)} [profit]
 * @property {(number|null)} [rank]
 */

/**
 * @typedef {Object} Campaign
 * @property {number} min_budget
 * @property {number} days
 * @property {number} scale - the budget that buys 63 % of the largest lift
 * @property {number} lift - the largest demand lift a campaign can buy
 * @property {number} launched - campaigns the team has launched
 */

/**
 * @typedef {Object} CampaignLaunched
 * @property {"campaign_launched"} kind - always 'campaign_launched'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} campaign_id
 * @property {string} segment
 * @property {number} budget
 * @property {number} ends_t
 */

/**
 * @typedef {Object<string, *>} CareForAccountBody
 */

/**
 * Cash at the end of every business day so far.
 * @typedef {Object} CashSeries
 * @property {Array<number>} t
 * @property {Object<string, Array<number>>} teams - per team, one value per t
 */

/**
 * @typedef {Object<string, *>} CheckCreditBody
 */

/**
 * The class's median of each figure.
 * @typedef {Object} ClassMedian
 * @property {(number|null)} share
 * @property {(number|null)} win_rate
 * @property {(number|null)} discount
 * @property {(number|null)} reply_hours
 * @property {(number|null)} conversion
 * @property {(number|null)} terms_days
 * @property {(number|null)} dso_days
 * @property {(number|null)} bad_debt
 * @property {(number|null)} complaints
 * @property {(number|null)} resolved
 * @property {(number|null)} in_time
 * @property {(number|null)} escalated
 * @property {(number|null)} satisfaction
 * @property {(number|null)} cash
 * @property {(number|null)} orders
 * @property {(number|null)} order_value
 */

/**
 * One closed inquiry and the event that closed it.
 * @typedef {Object} ClosedInquiry
 * @property {string} inquiry_id
 * @property {string} customer_id
 * @property {("won"|"lost"|"declined"|"expired")} outcome
 * @property {string} reason
 * @property {number} seq
 * @property {number} t
 * @property {"ClosedInquiry"} kind - always 'ClosedInquiry'
 */

/**
 * A command the competition took, and the events it made.
 * @typedef {Object} CommandApplied
 * @property {boolean} accepted
 * @property {number} t_sim - the simulated hour it was applied at
 * @property {Array<(AccountCared|AnnouncementMade|ApologyPolicySet|ApprovalDecided|ApprovalRequested|CampaignLaunched|ComplaintEscalated|ComplaintOpened|ComplaintResolved|ComplaintSlaMissed|CreditChecked|CreditLimitSet|CreditNoteIssued|CustomerChurned|DeliveryHeld|FollowUpMade|InquiryDeclined|InquiryExpired|InquiryLost|InquiryReceived|InvoiceDue|InvoiceHandedOver|InvoiceIssued|InvoiceWrittenOff|NoteAdded|OrderDelivered|OrderVoided|OrderWon|ParametersChanged|PaymentReceived|QuotePolicySet|QuoteSent|RefundPaid|ReminderPolicySet|ReminderSent|RoundEnded|RoundStarted|SatisfactionChanged|ShockApplied|SurveyAnswered|SurveyRequested|TeamJoined)>} events
 */

/**
 * @typedef {Object} CommandResult
 * @property {boolean} accepted
 * @property {number} t_sim
 * @property {Array<Object<string, *>>} events
 */

/**
 * A new competition (still a draft), with what the instructor hands out.
 * @typedef {Object} CompetitionCreated
 * @property {number} id
 * @property {string} name
 * @property {string} state - draft, running, paused or finished
 * @property {number} round - 0 before the start; the round being played, or the one just ended
 * @property {number} rounds
 * @property {(number|null)} next_round - the round next-round starts (between rounds only)
 * @property {boolean} between_rounds
 * @property {number} t_sim - simulated hours since the start
 * @property {number} round_ends_t - simulated hour at which the current round ends
 * @property {number} seconds_per_hour - wall-clock seconds per simulated hour
 * @property {(number|null)} seconds_left_in_round - wall-clock seconds to the round's end (running only)
 * @property {string} mode - shared or mirrored market
 * @property {string} preset
 * @property {number} hours_per_day - simulated hours in a business day
 * @property {number} round_hours - simulated hours in a round
 * @property {(number|null)} freeze_t - the simulated hour the public board is frozen at, if any
 * @property {boolean} frozen - whether the public board shows the standings as of freeze_t now
 * @property {boolean} revealed - whether a reveal ceremony has been held
 * @property {Array<TeamJoinCode>} teams
 * @property {number} seed
 * @property {string} judge_code - the code judges log in with
 * @property {Parameters} parameters
 * @property {(string|null)} damaged - why the stored events could not be replayed, if they could not
 * @property {number} events - events in the log
 * @property {number} commands - commands in the log
 * @property {(string|null)} digest - digest of the event log; null before the start
 */

/**
 * A competition imported from an archive, replayed and checked against its digest.
 * @typedef {Object} CompetitionImported
 * @property {number} id
 * @property {string} name
 * @property {string} state - draft, running, paused or finished
 * @property {number} round - 0 before the start; the round being played, or the one just ended
 * @property {number} rounds
 * @property {(number|null)} next_round - the round next-round starts (between rounds only)
 * @property {boolean} between_rounds
 * @property {number} t_sim - simulated hours since the start
 * @property {number} round_ends_t - simulated hour at which the current round ends
 * @property {number} seconds_per_hour - wall-clock seconds per simulated hour
 * @property {(number|null)} seconds_left_in_round - wall-clock seconds to the round's end (running only)
 * @property {string} mode - shared or mirrored market
 * @property {string} preset
 * @property {number} hours_per_day - simulated hours in a business day
 * @property {number} round_hours - simulated hours in a round
 * @property {(number|null)} freeze_t - the simulated hour the public board is frozen at, if any
 * @property {boolean} frozen - whether the public board shows the standings as of freeze_t now
 * @property {boolean} revealed - whether a reveal ceremony has been held
 * @property {Array<TeamJoinCode>} teams
 * @property {string} judge_code
 * @property {(string|null)} digest
 * @property {number} events
 * @property {(string|null)} damaged
 */

/**
 * @typedef {Object} CompetitionIn
 * @property {string} name
 * @property {string} [preset]
 * @property {Object<string, *>} [overrides] - e.g. {'segments.smb.share': 0.5}
 * @property {(("shared"|"mirrored")|null)} [mode]
 * @property {(number|null)} [seed] - default: random
 * @property {(number|null)} [rounds]
 * @property {number} [seconds_per_hour] - real seconds per business hour
 */

/**
 * Where a competition stands: its state, round and clock, the same in every answer.
 * @typedef {Object} CompetitionStatus
 * @property {number} id
 * @property {string} name
 * @property {string} state - draft, running, paused or finished
 * @property {number} round - 0 before the start; the round being played, or the one just ended
 * @property {number} rounds
 * @property {(number|null)} next_round - the round next-round starts (between rounds only)
 * @property {boolean} between_rounds
 * @property {number} t_sim - simulated hours since the start
 * @property {number} round_ends_t - simulated hour at which the current round ends
 * @property {number} seconds_per_hour - wall-clock seconds per simulated hour
 * @property {(number|null)} seconds_left_in_round - wall-clock seconds to the round's end (running only)
 * @property {string} mode - shared or mirrored market
 * @property {string} preset
 * @property {number} hours_per_day - simulated hours in a business day
 * @property {number} round_hours - simulated hours in a round
 * @property {(number|null)} freeze_t - the simulated hour the public board is frozen at, if any
 * @property {boolean} frozen - whether the public board shows the standings as of freeze_t now
 * @property {boolean} revealed - whether a reveal ceremony has been held
 * @property {number} teams - how many teams play
 */

/**
 * @typedef {Object} Complaint
 * @property {string} complaint_id
 * @property {string} customer_id
 * @property {string} order_id
 * @property {string} cause
 * @property {string} severity
 * @property {number} opened_t
 * @property {number} sla_due_t
 * @property {string} status
 * @property {boolean} sla_missed
 * @property {boolean} escalated
 * @property {string} remedy
 * @property {(number|null)} resolved_t
 * @property {number} hours_left - simulated hours until the SLA is missed
 * @property {(RemedyCosts|null)} remedy_costs - while open
 */

/**
 * @typedef {Object} ComplaintEscalated
 * @property {"complaint_escalated"} kind - always 'complaint_escalated'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} complaint_id
 * @property {string} customer_id
 */

/**
 * @typedef {Object} ComplaintOpened
 * @property {"complaint_opened"} kind - always 'complaint_opened'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} complaint_id
 * @property {string} customer_id
 * @property {string} order_id
 * @property {string} cause
 * @property {string} severity
 * @property {number} sla_due_t
 */

/**
 * A remedy was given. ``cost`` is the cash it took (a replacement's goods).
 * @typedef {Object} ComplaintResolved
 * @property {"complaint_resolved"} kind - always 'complaint_resolved'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {number} cost
 * @property {string} complaint_id
 * @property {string} customer_id
 * @property {string} remedy
 * @property {number} credit_percent
 * @property {boolean} within_sla
 * @property {boolean} adequate
 * @property {string} by
 */

/**
 * @typedef {Object} ComplaintSlaMissed
 * @property {"complaint_sla_missed"} kind - always 'complaint_sla_missed'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} complaint_id
 * @property {string} customer_id
 */

/**
 * One metric's share in a team's composite. ``value`` is the team's own figure (profit: cash gained plus open receivables; None if it has none), ``normalised`` the 0–100 score that enters the composite, ``weight`` the configured weight. ``included`` is False when the weight is 0 or no team has a value yet — rules v2: when this team has none — and the remaining weights are then renormalised. ``scaled`` is the value on the metric's own 0–100 scale before normalisation across teams (v2 profit: the return-on-capital score; v1 profit: the min–max score).
 * @typedef {Object} CompositePart
 * @property {("conversion"|"satisfaction"|"receivables"|"profit"|"rubric")} metric
 * @property {(number|null)} value
 * @property {number} normalised
 * @property {number} weight
 * @property {boolean} included
 * @property {(number|null)} scaled
 * @property {"CompositePart"} kind - always 'CompositePart'
 */

/**
 * @typedef {Object} Counts
 * @property {Object<string, number>} not_won - inquiries not won, by reason
 * @property {Object<string, number>} complaints - complaints resolved in time, late, escalated
 */

/**
 * @typedef {Object} CreditChecked
 * @property {"credit_checked"} kind - always 'credit_checked'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {number} cost
 * @property {string} customer_id
 * @property {string} grade
 */

/**
 * @typedef {Object} CreditLimitSet
 * @property {"credit_limit_set"} kind - always 'credit_limit_set'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} customer_id
 * @property {number} limit
 */

/**
 * Part of an invoice is forgiven (late-delivery penalty or complaint remedy).
 * @typedef {Object} CreditNoteIssued
 * @property {"credit_note_issued"} kind - always 'credit_note_issued'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {number} amount
 * @property {string} reason
 */

/**
 * @typedef {Object} Criterion
 * @property {number} id
 * @property {string} name_en
 * @property {string} name_zh
 * @property {number} max_points
 * @property {boolean} per_round
 */

/**
 * @typedef {Object} CriterionIn
 * @property {string} name_en - the criterion's name in English
 * @property {string} name_zh - the criterion's name in Chinese
 * @property {number} max_points
 * @property {boolean} [per_round] - scored in every round (true) or once (false)
 */

/**
 * A judge's current points for a team on a criterion (and round).
 * @typedef {Object} CurrentScore
 * @property {number} criterion_id
 * @property {string} team
 * @property {string} judge
 * @property {(number|null)} round
 * @property {number} points
 * @property {string} note
 */

/**
 * @typedef {Object} Customer
 * @property {string} customer_id
 * @property {string} segment
 * @property {number} first_seen_t
 * @property {number} inquiries
 * @property {number} orders
 * @property {number} revenue
 * @property {(number|null)} survey_satisfaction
 * @property {(number|null)} survey_t
 * @property {(string|null)} grade
 * @property {(number|null)} credit_limit
 * @property {(number|null)} care_t
 * @property {boolean} churned
 * @property {Array<string>} notes
 * @property {string} abc - A, B or C by revenue
 * @property {number} open_balance
 */

/**
 * @typedef {Object} CustomerChurned
 * @property {"customer_churned"} kind - always 'customer_churned'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} customer_id
 */

/**
 * One customer's current S with the team; ``first_seq`` put it on the team's books.
 * @typedef {Object} CustomerSatisfaction
 * @property {string} customer_id
 * @property {number} satisfaction
 * @property {number} first_seq
 * @property {Array<number>} change_seqs
 * @property {"CustomerSatisfaction"} kind - always 'CustomerSatisfaction'
 */

/**
 * A completed round, every team's figures and its notable moments.
 * @typedef {Object} Debrief
 * @property {number} round
 * @property {number} t
 * @property {Array<RoundFigures>} teams
 * @property {DebriefMoments} moments
 * @property {Array<number>} rounds_done
 * @property {Array<string>} charts
 * @property {number} hours_per_day
 * @property {CashSeries} cash
 */

/**
 * Who stood out in a chart, and by how much.
 * @typedef {Object} DebriefMoment
 * @property {string} kind
 * @property {string} team
 * @property {number} value
 * @property {(number|null)} [t] - when, for a moment of the cash chart
 */

/**
 * @typedef {Object} DebriefMoments
 * @property {Array<DebriefMoment>} share
 * @property {Array<DebriefMoment>} discount
 * @property {Array<DebriefMoment>} response
 * @property {Array<DebriefMoment>} terms
 * @property {Array<DebriefMoment>} complaints
 * @property {Array<DebriefMoment>} cash
 */

/**
 * @typedef {Object} DeclineInquiryBody
 * @property {string} [reason]
 */

/**
 * The goods are ready but the team lacks the cash to pay for them; the order waits.
 * @typedef {Object} DeliveryHeld
 * @property {"delivery_held"} kind - always 'delivery_held'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} order_id
 * @property {string} customer_id
 * @property {number} needed
 */

/**
 * The rules and prices the desk enforces, for checking a form as it is typed (read-only).
 * @typedef {Object} DeskRules
 * @property {string} role
 * @property {Array<string>} permissions - the commands the member's role may send
 * @property {Object<string, number>} authority - per role: the largest discount it grants at once
 * @property {number} my_authority
 * @property {string} approver - the role that approves a discount beyond a role's authority
 * @property {number} max_discount
 * @property {number} policy_max_discount
 * @property {number} max_terms_days
 * @property {number} max_delivery_days
 * @property {number} max_installments
 * @property {number} list_price
 * @property {number} unit_cost
 * @property {number} order_cost
 * @property {number} lead_time_days
 * @property {number} volume_threshold
 * @property {number} volume_discount
 * @property {number} loyalty_discount
 * @property {number} survey_cost
 * @property {number} survey_hours
 * @property {number} credit_check_cost
 * @property {number} care_cost
 * @property {number} care_days
 * @property {SlaHours} sla_hours
 * @property {number} reminder_gap_days
 * @property {number} writeoff_after_days
 * @property {number} collection_recovery
 * @property {Array<string>} remedies
 * @property {Campaign} campaign
 * @property {Array<SegmentTerms>} segments
 */

/**
 * One invoice in the due set. ``due_seq`` is the event that put it there; ``seqs`` all of its events.
 * @typedef {Object} DueInvoice
 * @property {string} invoice_id
 * @property {string} customer_id
 * @property {number} amount
 * @property {number} collected
 * @property {(number|null)} written_off
 * @property {number} due_seq
 * @property {Array<number>} seqs
 * @property {"DueInvoice"} kind - always 'DueInvoice'
 * @property {number} outstanding - what is still owed on it
 */

/**
 * One experience (rules v2): the customer's S before and after, and the experience x read back.
 * @typedef {Object} Experience
 * @property {string} customer_id
 * @property {number} seq
 * @property {string} cause
 * @property {number} before
 * @property {number} after
 * @property {number} experience
 * @property {"Experience"} kind - always 'Experience'
 */

/**
 * One figure of one team opened up: the formula with its numbers and the items behind it.
 * @typedef {Object} Explanation
 * @property {string} team
 * @property {string} metric - conversion, satisfaction, receivables, profit, composite or rubric
 * @property {(number|null)} value
 * @property {string} formula - the formula with the team's numbers (and each scale's anchors)
 * @property {Weights} weights
 * @property {string} normalisation
 * @property {number} rules
 * @property {Array<(ClosedInquiry|CustomerSatisfaction|DueInvoice|CompositePart|RubricItem|Experience|InvoiceRisk|ProfitLine)>} items - what the figure is made of, with the seqs of the events
 */

/**
 * @typedef {Object} Explanations
 * @property {Explanation} composite
 * @property {Explanation} conversion
 * @property {Explanation} satisfaction
 * @property {Explanation} receivables
 * @property {Explanation} profit
 */

/**
 * @typedef {Object<string, *>} FollowUpBody
 */

/**
 * @typedef {Object} FollowUpMade
 * @property {"follow_up_made"} kind - always 'follow_up_made'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} inquiry_id
 */

/**
 * @typedef {Object} FreezeIn
 * @property {(number|null)} [at] - simulated hour to freeze at; leave out to freeze now
 */

/**
 * @typedef {Object<string, *>} HandOverToCollectionBody
 */

/**
 * @typedef {Object} Health
 * @property {boolean} ok
 * @property {boolean} owner - whether this worker is the front, which takes the requests naming no competition (always with one process)
 * @property {string} database - ok, unavailable or full
 * @property {number} competitions - how many competitions this worker runs
 * @property {Array<number>} runs - the ids of the competitions this worker runs
 * @property {Object<string, string>} damaged - per competition id: why its replay failed
 * @property {Object<string, number>} forwarding - with several workers: per other worker, the requests forwarded to it and not yet answered (beyond FORWARDS_IN_FLIGHT more are refused with 503); empty when none are
 */

/**
 * Per-round and cumulative standings, and the score over time.
 * @typedef {Object} History
 * @property {number} t_sim - the moment the history shows (the freeze, for the public)
 * @property {Array<RoundStandings>} rounds
 * @property {Series} series
 * @property {Array<StandingRow>} standings
 */

/**
 * @typedef {Object} Inquiry
 * @property {string} inquiry_id
 * @property {string} customer_id
 * @property {string} segment
 * @property {number} quantity
 * @property {number} list_price
 * @property {number} list_discount
 * @property {number} requested_terms
 * @property {number} wanted_delivery
 * @property {number} received_t
 * @property {number} expires_t
 * @property {boolean} repeat
 * @property {string} status
 * @property {(number|null)} unit_price
 * @property {(number|null)} discount
 * @property {(number|null)} terms_days
 * @property {(number|null)} delivery_days
 * @property {number} revision
 * @property {(number|null)} first_reply_t
 * @property {(string|null)} pending_approval
 * @property {boolean} followed_up
 * @property {string} reason
 * @property {number} hours_left - simulated hours until it expires
 */

/**
 * @typedef {Object} InquiryDeclined
 * @property {"inquiry_declined"} kind - always 'inquiry_declined'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} inquiry_id
 * @property {string} customer_id
 * @property {string} reason
 */

/**
 * @typedef {Object} InquiryExpired
 * @property {"inquiry_expired"} kind - always 'inquiry_expired'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} inquiry_id
 * @property {string} customer_id
 */

/**
 * The customer chose another team, walked away, or never considered this quote.
 * @typedef {Object} InquiryLost
 * @property {"inquiry_lost"} kind - always 'inquiry_lost'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} inquiry_id
 * @property {string} customer_id
 * @property {string} reason
 */

/**
 * @typedef {Object} InquiryReceived
 * @property {"inquiry_received"} kind - always 'inquiry_received'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} inquiry_id
 * @property {string} request_id
 * @property {string} customer_id
 * @property {string} segment
 * @property {number} quantity
 * @property {number} list_price
 * @property {number} list_discount
 * @property {number} requested_terms
 * @property {number} wanted_delivery
 * @property {number} expires_t
 * @property {boolean} repeat
 */

/**
 * @typedef {Object} InstructorLogin
 * @property {string} password
 */

/**
 * @typedef {Object} Invoice
 * @property {string} invoice_id
 * @property {string} order_id
 * @property {string} customer_id
 * @property {number} amount
 * @property {number} issued_t
 * @property {number} due_t
 * @property {number} installment
 * @property {number} installments
 * @property {number} paid
 * @property {number} credited
 * @property {number} refunded
 * @property {string} status
 * @property {Array<number>} reminders
 * @property {number} outstanding
 * @property {string} bucket - aging bucket: current, 1-30, 31-60, 61-90, 90+
 * @property {number} days_overdue
 */

/**
 * An invoice reached its due date; ``outstanding`` is what was still unpaid then.
 * @typedef {Object} InvoiceDue
 * @property {"invoice_due"} kind - always 'invoice_due'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {number} amount
 * @property {number} outstanding
 */

/**
 * @typedef {Object} InvoiceHandedOver
 * @property {"invoice_handed_over"} kind - always 'invoice_handed_over'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {string} customer_id
 * @property {number} outstanding
 */

/**
 * @typedef {Object} InvoiceIssued
 * @property {"invoice_issued"} kind - always 'invoice_issued'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {string} order_id
 * @property {string} customer_id
 * @property {number} amount
 * @property {number} due_t
 * @property {number} installment
 * @property {number} installments
 */

/**
 * Rules v2: one invoice and its expected loss at the time of the explanation. ``days_past_due`` is negative while the invoice is not yet due; ``loss_probability`` is 1 for a written-off invoice (its loss is the amount written off) and 0 for a settled one.
 * @typedef {Object} InvoiceRisk
 * @property {string} invoice_id
 * @property {string} customer_id
 * @property {number} amount
 * @property {number} collected
 * @property {(number|null)} written_off
 * @property {number} due_t
 * @property {number} days_past_due
 * @property {number} loss_probability
 * @property {number} expected_loss
 * @property {Array<number>} seqs
 * @property {"InvoiceRisk"} kind - always 'InvoiceRisk'
 * @property {number} outstanding - what is still owed on it
 */

/**
 * @typedef {Object} InvoiceWrittenOff
 * @property {"invoice_written_off"} kind - always 'invoice_written_off'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {string} customer_id
 * @property {number} amount
 * @property {string} by
 */

/**
 * @typedef {Object} Join
 * @property {string} code - the team's join code
 * @property {string} name - your display name
 * @property {("manager"|"sales"|"service"|"finance")} role
 */

/**
 * @typedef {Object} JudgeLogin
 * @property {string} code
 * @property {(string|null)} [name] - your name: rubric scores are kept per judge
 */

/**
 * @typedef {Object} LaunchCampaignBody
 * @property {string} segment
 * @property {number} budget
 */

/**
 * The class gathering before the start.
 * @typedef {Object} Lobby
 * @property {number} id
 * @property {string} name
 * @property {string} state
 * @property {(number|null)} starts_at - the planned start, wall-clock (Unix seconds); null: none
 * @property {number} server_now - the server's clock (Unix seconds), for counting down
 * @property {Array<LobbyTeam>} teams
 */

/**
 * @typedef {Object} LobbyMember
 * @property {string} name
 * @property {Array<string>} roles
 */

/**
 * @typedef {Object} LobbyTeam
 * @property {string} name
 * @property {(string|null)} bot
 * @property {Array<LobbyMember>} members - until the start (for the instructor, always)
 * @property {(string|null)} [join_code] - for the instructor only
 */

/**
 * A committed command, as a replay applies it.
 * @typedef {Object} LoggedCommand
 * @property {number} seq
 * @property {number} t
 * @property {string} source - human, bot or instructor
 * @property {boolean} accepted
 * @property {string} reason - why it was refused (empty when accepted)
 * @property {string} code - the refusal's code (empty when accepted)
 * @property {Object<string, *>} command - the command: its kind and its fields
 */

/**
 * How many gold, silver and bronze places there are.
 * @typedef {Object} Medals
 * @property {number} gold
 * @property {number} silver
 * @property {number} bronze
 */

/**
 * @typedef {Object} MedalsIn
 * @property {number} [gold]
 * @property {number} [silver]
 * @property {number} [bronze]
 */

/**
 * The medal places set, and the awards they give now.
 * @typedef {Object} MedalsSet
 * @property {number} gold
 * @property {number} silver
 * @property {number} bronze
 * @property {Array<Award>} awards
 */

/**
 * @typedef {Object} MemberOut
 * @property {string} name
 * @property {Array<string>} roles
 * @property {number} joined_at
 * @property {number} commands
 * @property {number} signed_in
 */

/**
 * A notable moment: big_order, written_off, order_voided, complaint_in_time, complaint_escalated, best_climb or worst_fall — with the fields of its kind.
 * @typedef {Object} Moment
 * @property {string} kind
 * @property {number} t
 * @property {(number|null)} [value] - big_order
 * @property {(string|null)} [customer] - big_order
 * @property {(string|null)} [segment] - big_order
 * @property {(number|null)} [amount] - written_off
 * @property {(string|null)} [invoice] - written_off
 * @property {(string|null)} [order] - order_voided
 * @property {(string|null)} [complaint] - complaint_in_time, complaint_escalated
 * @property {(number|null)} [from_rank] - best_climb, worst_fall
 * @property {(number|null)} [to_rank] - best_climb, worst_fall
 */

/**
 * Who is active, per team and per member.
 * @typedef {Object} Monitor
 * @property {number} id
 * @property {string} name
 * @property {string} state - draft, running, paused or finished
 * @property {number} round - 0 before the start; the round being played, or the one just ended
 * @property {number} rounds
 * @property {(number|null)} next_round - the round next-round starts (between rounds only)
 * @property {boolean} between_rounds
 * @property {number} t_sim - simulated hours since the start
 * @property {number} round_ends_t - simulated hour at which the current round ends
 * @property {number} seconds_per_hour - wall-clock seconds per simulated hour
 * @property {(number|null)} seconds_left_in_round - wall-clock seconds to the round's end (running only)
 * @property {string} mode - shared or mirrored market
 * @property {string} preset
 * @property {number} hours_per_day - simulated hours in a business day
 * @property {number} round_hours - simulated hours in a round
 * @property {(number|null)} freeze_t - the simulated hour the public board is frozen at, if any
 * @property {boolean} frozen - whether the public board shows the standings as of freeze_t now
 * @property {boolean} revealed - whether a reveal ceremony has been held
 * @property {Array<TeamActivity>} teams
 * @property {number} idle_hours - business hours without a command that make a member idle
 */

/**
 * Your teammates and the ratings you gave them.
 * @typedef {Object} MyPeerReview
 * @property {boolean} open - once the competition has finished
 * @property {string} state
 * @property {Array<Teammate>} teammates
 */

/**
 * A preset or a house bot.
 * @typedef {Object} Named
 * @property {string} name
 * @property {string} description
 */

/**
 * @typedef {Object} NoteAdded
 * @property {"note_added"} kind - always 'note_added'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} customer_id
 * @property {string} text
 */

/**
 * @typedef {Object} Order
 * @property {string} order_id
 * @property {string} inquiry_id
 * @property {string} customer_id
 * @property {string} segment
 * @property {number} quantity
 * @property {number} unit_price
 * @property {number} terms_days
 * @property {number} delivery_due_t
 * @property {number} won_t
 * @property {string} status
 * @property {number} late_days
 * @property {boolean} defect
 * @property {Array<string>} invoice_ids
 * @property {number} value
 */

/**
 * @typedef {Object} OrderDelivered
 * @property {"order_delivered"} kind - always 'order_delivered'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} order_id
 * @property {string} customer_id
 * @property {number} late_days
 * @property {boolean} defect
 * @property {number} cogs
 */

/**
 * The customer cancelled an order that was too late: the sale is lost after all.
 * @typedef {Object} OrderVoided
 * @property {"order_voided"} kind - always 'order_voided'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} order_id
 * @property {string} customer_id
 * @property {number} late_days
 */

/**
 * @typedef {Object} OrderWon
 * @property {"order_won"} kind - always 'order_won'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} order_id
 * @property {string} inquiry_id
 * @property {string} customer_id
 * @property {string} segment
 * @property {number} quantity
 * @property {number} unit_price
 * @property {number} terms_days
 * @property {number} delivery_days
 * @property {number} installments
 * @property {number} delivery_due_t
 * @property {number} reply_hours
 */

/**
 * One logged change of the parameters.
 * @typedef {Object} ParameterChange
 * @property {number} effective_t - the simulated hour it took effect (0: before the start)
 * @property {Array<Array<*>>} changes - each change as [key, new value]
 * @property {Object<string, *>} before - each changed key's old value
 * @property {number} at - wall-clock time (Unix seconds)
 */

/**
 * Everything that defines one market; the unit of presets and overrides.
 * @typedef {Object} Parameters
 * @property {string} name
 * @property {string} description
 * @property {number} rules
 * @property {("business"|"calendar")} day_kind
 * @property {("shared"|"mirrored")} mode
 * @property {number} days_per_round
 * @property {number} rounds
 * @property {number} shortlist_size
 * @property {number} inquiries_per_team_per_day
 * @property {number} demand_walk_step
 * @property {number} demand_trend_bound
 * @property {[number, number]} demand_bounds
 * @property {number} reply_tau_hours
 * @property {number} engagement_floor
 * @property {number} consideration_hours
 * @property {number} followup_factor
 * @property {number} switching_cost
 * @property {number} reputation_weight
 * @property {number} campaign_lift
 * @property {number} campaign_scale
 * @property {number} campaign_days
 * @property {number} starting_cash
 * @property {ProductParameters} product
 * @property {ServiceParameters} service
 * @property {SatisfactionParameters} satisfaction
 * @property {Object<string, SegmentParameters>} segments - per segment id
 */

/**
 * A change of the parameters: applied while paused, or kept for the start before it.
 * @typedef {Object} ParametersApplied
 * @property {boolean} accepted
 * @property {number} t_sim - the simulated hour it was applied at
 * @property {Array<(AccountCared|AnnouncementMade|ApologyPolicySet|ApprovalDecided|ApprovalRequested|CampaignLaunched|ComplaintEscalated|ComplaintOpened|ComplaintResolved|ComplaintSlaMissed|CreditChecked|CreditLimitSet|CreditNoteIssued|CustomerChurned|DeliveryHeld|FollowUpMade|InquiryDeclined|InquiryExpired|InquiryLost|InquiryReceived|InvoiceDue|InvoiceHandedOver|InvoiceIssued|InvoiceWrittenOff|NoteAdded|OrderDelivered|OrderVoided|OrderWon|ParametersChanged|PaymentReceived|QuotePolicySet|QuoteSent|RefundPaid|ReminderPolicySet|ReminderSent|RoundEnded|RoundStarted|SatisfactionChanged|ShockApplied|SurveyAnswered|SurveyRequested|TeamJoined)>} events
 * @property {(Parameters|null)} [parameters] - before the start: the parameters the competition will start with
 */

/**
 * The instructor changed market parameters from this moment on (``changes``: JSON pairs).
 * @typedef {Object} ParametersChanged
 * @property {"parameters_changed"} kind - always 'parameters_changed'
 * @property {number} seq
 * @property {number} t
 * @property {string} changes
 */

/**
 * @typedef {Object} ParametersIn
 * @property {Object<string, *>} changes
 */

/**
 * @typedef {Object} PaymentReceived
 * @property {"payment_received"} kind - always 'payment_received'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {string} customer_id
 * @property {number} amount
 * @property {string} via
 */

/**
 * @typedef {Object} PeerReviewIn
 * @property {Array<RatingIn>} ratings - one per teammate; replaces what you sent before
 */

/**
 * Every member's ratings received and given (the instructor's).
 * @typedef {Object} PeerReviews
 * @property {boolean} open
 * @property {number} reviews
 * @property {Array<ReviewedMember>} members
 */

/**
 * One current member's activity.
 * @typedef {Object} PersonActivity
 * @property {number} commands
 * @property {number} refused
 * @property {(number|null)} last_command_t - simulated hour of the last command
 * @property {boolean} idle
 * @property {(number|null)} id
 * @property {string} name
 * @property {string} role
 */

/**
 * The team's automation.
 * @typedef {Object} Policies
 * @property {Object<string, QuotePolicy>} quotes - per segment: the quote sent by itself
 * @property {(number|null)} reminder_days - days past due a reminder goes out by itself
 * @property {boolean} apology - whether a complaint gets an apology by itself
 */

/**
 * One parameter of a preset, with its bounds and unit.
 * @typedef {Object} PresetParameter
 * @property {string} key
 * @property {*} value
 * @property {(number|null)} low
 * @property {(number|null)} high
 * @property {string} unit
 * @property {string} help
 * @property {boolean} integer
 * @property {boolean} pair - a [low, high] pair
 * @property {string} group
 */

/**
 * A preview's progress, then its result.
 * @typedef {Object} Preview
 * @property {string} id
 * @property {string} state
 * @property {number} progress - 0–1
 * @property {Array<number>} seeds
 * @property {number} rounds
 * @property {(PreviewResult|null)} result
 * @property {(string|null)} error
 */

/**
 * @typedef {Object} PreviewIn
 * @property {string} [preset]
 * @property {Object<string, *>} [overrides] - e.g. {'segments.smb.share': 0.5}
 * @property {(("shared"|"mirrored")|null)} [mode]
 * @property {(number|null)} [rounds] - default: the preset's (at most 20)
 * @property {number} [seeds] - seasons to play, one per seed
 * @property {number} [seed] - the first seed
 */

/**
 * @typedef {Object} PreviewResult
 * @property {Array<BotMeans>} bots
 * @property {(number|null)} inquiries_per_team
 * @property {number} seasons
 */

/**
 * The one product every team sells, and its price list.
 * @typedef {Object} ProductParameters
 * @property {number} list_price
 * @property {number} unit_cost
 * @property {number} order_cost
 * @property {number} volume_threshold
 * @property {number} volume_discount
 * @property {number} lead_time_days
 * @property {number} loyalty_discount
 * @property {number} late_penalty_per_day
 * @property {number} void_after_late_days
 */

/**
 * One part of profit: ``part`` is cash_gained, owed or expected_loss (the loss subtracts).
 * @typedef {Object} ProfitLine
 * @property {string} part
 * @property {number} amount
 * @property {"ProfitLine"} kind - always 'ProfitLine'
 */

/**
 * @typedef {Object} QuotePolicy
 * @property {string} segment
 * @property {number} discount
 * @property {number} terms_days
 * @property {number} delivery_days
 * @property {number} delay_hours
 */

/**
 * Automation: answer new inquiries of a segment with these terms (or stop doing so).
 * @typedef {Object} QuotePolicySet
 * @property {"quote_policy_set"} kind - always 'quote_policy_set'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} segment
 * @property {boolean} enabled
 * @property {number} discount
 * @property {number} terms_days
 * @property {number} delivery_days
 * @property {number} delay_hours
 */

/**
 * @typedef {Object} QuoteSent
 * @property {"quote_sent"} kind - always 'quote_sent'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} inquiry_id
 * @property {number} unit_price
 * @property {number} discount
 * @property {number} terms_days
 * @property {number} delivery_days
 * @property {number} installments
 * @property {number} revision
 * @property {string} role
 */

/**
 * @typedef {Object} Rating
 * @property {string} by
 * @property {number} rating
 * @property {string} comment
 */

/**
 * @typedef {Object} RatingIn
 * @property {number} member_id - a teammate's id, as GET /api/v1/team/peer-review lists it
 * @property {number} rating - the teammate's contribution: 1 (little) to 5 (a great deal)
 * @property {string} [comment] - optional, for the instructor only
 */

/**
 * @typedef {Object} RefundPaid
 * @property {"refund_paid"} kind - always 'refund_paid'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {number} amount
 */

/**
 * Every refusal (4xx, 503): a reason for people and a stable code for programs; nothing was changed.
 * @typedef {Object} Refusal
 * @property {string} detail - what is wrong and how to fix it
 * @property {string} code - stable: unauthorized, session_expired, forbidden, not_found, conflict, insufficient_cash, credit_limit, invalid, too_deep, too_large, rate_limited, unavailable …
 * @property {string} [field] - the request's field that is wrong, when one is
 * @property {string} [why] - why a session expired: idle or finished
 */

/**
 * @typedef {Object} RejectDiscountBody
 * @property {string} [reason]
 */

/**
 * What a remedy would cost now.
 * @typedef {Object} RemedyCost
 * @property {number} cash - paid out (refunds, replacement goods)
 * @property {number} credit - credit notes on the order's open invoices: money not collected
 */

/**
 * What each remedy of an open complaint would cost now; for a credit note, whose size is the team's choice, the order's figures instead.
 * @typedef {Object} RemedyCosts
 * @property {number} order_value - a credit note credits x % of it
 * @property {number} open - open on the order's invoices: credited first
 * @property {number} paid - paid on them: refunded beyond what is open
 * @property {RemedyCost} apology
 * @property {RemedyCost} replacement
 * @property {RemedyCost} refund
 */

/**
 * Automation: remind every unpaid invoice this many days after it falls due.
 * @typedef {Object} ReminderPolicySet
 * @property {"reminder_policy_set"} kind - always 'reminder_policy_set'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {boolean} enabled
 * @property {number} days_after_due
 */

/**
 * @typedef {Object} ReminderSent
 * @property {"reminder_sent"} kind - always 'reminder_sent'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} invoice_id
 * @property {string} customer_id
 * @property {boolean} early
 * @property {boolean} repeated
 * @property {string} by
 */

/**
 * @typedef {Object<string, *>} RequestSurveyBody
 */

/**
 * The new scoring and every standing recomputed with it.
 * @typedef {Object} Rescored
 * @property {Weights} weights
 * @property {string} normalisation - raw, rank or zscore
 * @property {number} rules - the version of the scoring rules, fixed when the competition was created
 * @property {Array<StandingRow>} standings
 */

/**
 * @typedef {Object} ResolveComplaintBody
 * @property {string} remedy
 * @property {number} [credit_percent]
 */

/**
 * The reveal ceremony: the frozen table, then one step per team, bottom of the frozen table first.
 * @typedef {Object} Reveal
 * @property {(number|null)} freeze_t
 * @property {number} t_sim
 * @property {Array<StandingRow>} frozen
 * @property {Array<RevealStep>} steps
 * @property {Array<StandingRow>} final
 */

/**
 * One step of the reveal: ``team`` moves from ``from_rank`` to ``to_rank`` (1-based positions). ``order`` is the whole table after the step, top to bottom.
 * @typedef {Object} RevealStep
 * @property {number} step
 * @property {string} team
 * @property {number} from_rank
 * @property {number} to_rank
 * @property {number} frozen_composite
 * @property {number} final_composite
 * @property {Array<string>} order
 */

/**
 * @typedef {Object} ReviewedMember
 * @property {string} team
 * @property {number} member_id
 * @property {string} name
 * @property {string} role
 * @property {boolean} removed
 * @property {(number|null)} mean - the mean rating received, 1–5
 * @property {number} received
 * @property {number} given
 * @property {Array<Rating>} ratings
 */

/**
 * @typedef {Object} ReviseQuoteBody
 * @property {number} [discount]
 * @property {number} [terms_days]
 * @property {number} [delivery_days]
 * @property {number} [installments]
 */

/**
 * @typedef {Object} RoundEnded
 * @property {"round_ended"} kind - always 'round_ended'
 * @property {number} seq
 * @property {number} t
 * @property {number} round
 */

/**
 * One team's figures of a round (docs/api.md, the debrief).
 * @typedef {Object} RoundFigures
 * @property {string} team
 * @property {(number|null)} share - of the round's order value
 * @property {(number|null)} win_rate - orders over inquiries quoted
 * @property {(number|null)} discount - mean of the quotes
 * @property {(number|null)} reply_hours - inquiry to first quote
 * @property {(number|null)} conversion - orders over inquiries
 * @property {(number|null)} terms_days
 * @property {(number|null)} dso_days - invoice to payment in full
 * @property {(number|null)} bad_debt - written off over invoiced, to date
 * @property {number} complaints
 * @property {number} resolved
 * @property {number} in_time
 * @property {number} escalated
 * @property {(number|null)} satisfaction - the scoring's index at the round's end
 * @property {number} cash
 * @property {number} orders
 * @property {number} order_value
 */

/**
 * The member's own team's figures of a completed round.
 * @typedef {Object} RoundReport
 * @property {number} round
 * @property {number} t
 * @property {Array<number>} rounds_done
 * @property {RoundFigures} team
 * @property {(ClassMedian|null)} [class_median] - left out while the board is frozen
 */

/**
 * The standings at a round's end.
 * @typedef {Object} RoundStandings
 * @property {number} round
 * @property {number} t
 * @property {Array<RoundTeam>} teams
 */

/**
 * @typedef {Object} RoundStarted
 * @property {"round_started"} kind - always 'round_started'
 * @property {number} seq
 * @property {number} t
 * @property {number} round
 */

/**
 * One team's figures for one round, as they stood when the round ended.
 * @typedef {Object} RoundTeam
 * @property {string} team
 * @property {number} rank
 * @property {number} composite
 * @property {(number|null)} conversion
 * @property {number} won
 * @property {number} closed
 * @property {(number|null)} receivables
 * @property {number} due_total
 * @property {number} collected_due
 * @property {(number|null)} satisfaction
 */

/**
 * Criteria, every judge's current scores and each team's rubric component.
 * @typedef {Object} Rubric
 * @property {Array<Criterion>} criteria
 * @property {Array<CurrentScore>} scores
 * @property {Object<string, (number|null)>} component - per team, 0–100; null: not scored
 * @property {number} weight - the rubric's weight in the composite
 */

/**
 * A line of the rubric's log: a score or a correction.
 * @typedef {Object} RubricEntry
 * @property {number} seq
 * @property {number} criterion_id
 * @property {string} team
 * @property {string} judge
 * @property {(number|null)} round
 * @property {(number|null)} points - null: the score withdrawn
 * @property {string} note
 * @property {number} t_sim
 * @property {number} at - wall-clock time (Unix seconds)
 * @property {string} by - who wrote it
 */

/**
 * One rubric item of a team: a criterion (in one round, or once) and what each judge gave. ``mean_points`` is the mean of ``judges``' points, ``judges`` the (judge, points) pairs sorted by judge.
 * @typedef {Object} RubricItem
 * @property {number} criterion_id
 * @property {(number|null)} round
 * @property {number} max_points
 * @property {number} mean_points
 * @property {Array<[string, number]>} judges
 * @property {"RubricItem"} kind - always 'RubricItem'
 */

/**
 * A customer's satisfaction with the team moved (hidden from the team's console).
 * @typedef {Object} SatisfactionChanged
 * @property {"satisfaction_changed"} kind - always 'satisfaction_changed'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} customer_id
 * @property {string} segment
 * @property {number} satisfaction
 * @property {string} cause
 */

/**
 * Expectation–disconfirmation satisfaction and the penalties that move it.
 * @typedef {Object} SatisfactionParameters
 * @property {number} initial
 * @property {number} expectation
 * @property {number} smoothing
 * @property {number} learning
 * @property {number} ignored_penalty
 * @property {number} overpriced_penalty
 * @property {number} sla_penalty
 * @property {number} dunning_penalty
 * @property {number} collection_penalty
 * @property {number} care_lift
 */

/**
 * @typedef {Object} ScoreIn
 * @property {number} criterion_id
 * @property {string} team
 * @property {(number|null)} [round] - required for a per-round criterion
 * @property {(number|null)} points - 0 to the criterion's max points; null withdraws the score
 * @property {string} [note]
 * @property {(string|null)} [judge] - the instructor names the judge whose score it corrects
 */

/**
 * @typedef {Object} Scored
 * @property {RubricEntry} entry
 * @property {(number|null)} component - the team's rubric component now
 */

/**
 * How the composite is computed.
 * @typedef {Object} Scoring
 * @property {Weights} weights
 * @property {string} normalisation - raw, rank or zscore
 * @property {number} rules - the version of the scoring rules, fixed when the competition was created
 */

/**
 * One logged change of the scoring.
 * @typedef {Object} ScoringChange
 * @property {Weights} weights
 * @property {string} normalisation
 * @property {number} at - wall-clock time (Unix seconds)
 */

/**
 * @typedef {Object} ScoringIn
 * @property {WeightsIn} weights
 * @property {("raw"|"rank"|"zscore")} [normalisation]
 */

/**
 * One customer segment: who they are, what they want and how they behave.
 * @typedef {Object} SegmentParameters
 * @property {number} share
 * @property {[number, number]} quantity
 * @property {[number, number]} reserve_ratio
 * @property {[number, number]} requested_terms
 * @property {[number, number]} delivery_wanted
 * @property {number} patience_hours
 * @property {number} rationality
 * @property {number} inertia
 * @property {number} repeat_per_30_days
 * @property {number} churn
 * @property {number} late_base
 * @property {number} late_mean_delay
 * @property {number} default_probability
 * @property {number} on_time
 * @property {number} defect
 * @property {number} complaint_probability
 * @property {number} major_share
 * @property {number} risk_spread
 * @property {number} list_discount
 * @property {number} terms_expectation
 */

/**
 * @typedef {Object} SegmentTerms
 * @property {string} id
 * @property {number} list_discount
 * @property {Array<number>} requested_terms - [low, high] days
 * @property {Array<number>} delivery_wanted - [low, high] days
 */

/**
 * @typedef {Object} SendQuoteBody
 * @property {number} [discount]
 * @property {number} [terms_days]
 * @property {number} [delivery_days]
 * @property {number} [installments]
 */

/**
 * @typedef {Object<string, *>} SendReminderBody
 */

/**
 * Every team's score and rank over simulated time.
 * @typedef {Object} Series
 * @property {Array<number>} t
 * @property {Object<string, Array<number>>} composite - per team, one value per t
 * @property {Object<string, Array<number>>} rank - per team, one value per t
 */

/**
 * Complaints, SLAs, remedies and the costs of service actions.
 * @typedef {Object} ServiceParameters
 * @property {number} complaint_delay_days
 * @property {number} sla_minor_hours
 * @property {number} sla_major_hours
 * @property {number} escalate_after_hours
 * @property {number} survey_cost
 * @property {number} survey_hours
 * @property {number} credit_check_cost
 * @property {number} care_cost
 * @property {number} care_days
 * @property {number} care_churn_factor
 * @property {number} collection_recovery
 * @property {number} collection_days
 * @property {number} writeoff_after_days
 * @property {number} reminder_gap_days
 * @property {number} unchased_delay_factor
 */

/**
 * @typedef {Object} SessionOut
 * @property {string} token
 * @property {string} role
 * @property {(number|null)} [competition_id]
 * @property {(string|null)} [team]
 * @property {(string|null)} [member]
 * @property {(string|null)} [team_role]
 */

/**
 * @typedef {Object} SetApologyPolicyBody
 * @property {boolean} [enabled]
 */

/**
 * @typedef {Object} SetCreditLimitBody
 * @property {number} limit
 */

/**
 * @typedef {Object} SetQuotePolicyBody
 * @property {boolean} [enabled]
 * @property {number} [discount]
 * @property {number} [terms_days]
 * @property {number} [delivery_days]
 * @property {number} [delay_hours]
 */

/**
 * @typedef {Object} SetReminderPolicyBody
 * @property {boolean} [enabled]
 * @property {number} [days_after_due]
 */

/**
 * An instructor's market shock: demand step, price war or product recall.
 * @typedef {Object} ShockApplied
 * @property {"shock_applied"} kind - always 'shock_applied'
 * @property {number} seq
 * @property {number} t
 * @property {string} shock
 * @property {string} segment
 * @property {number} magnitude
 */

/**
 * @typedef {Object} ShockIn
 * @property {("demand"|"price_war"|"recall")} shock
 * @property {string} [segment]
 * @property {number} magnitude
 */

/**
 * @typedef {Object} SlaHours
 * @property {number} minor
 * @property {number} major
 */

/**
 * One team's line of the board; before the start only ``rank`` and ``team``.
 * @typedef {Object} StandingRow
 * @property {number} rank
 * @property {string} team
 * @property {(number|null)} [composite] - the weighted composite of the metrics' scores
 * @property {(number|null)} [conversion] - null: no inquiry closed yet
 * @property {(number|null)} [satisfaction] - null: no customer yet
 * @property {(number|null)} [receivables] - null: nothing due yet
 * @property {(number|null)} [profit]
 * @property {(number|null)} [rubric] - the judges' rubric component; null: not scored
 * @property {(number|null)} [collected] - cash collected on invoices
 * @property {(number|null)} [dso_days] - days sales outstanding; null: nothing paid yet
 * @property {(number|null)} [overdue_share] - share of the open receivables past due
 * @property {(number|null)} [bad_debt_ratio] - written off over invoiced
 * @property {Array<string>} [left_out] - the weighted metrics left out of this team's composite (rules v2: no value yet; the weights renormalised)
 */

/**
 * @typedef {Object} StartsIn
 * @property {(number|null)} minutes - minutes from now to the planned start; null: no planned start
 */

/**
 * The status and the board: live for judges and the instructor, as of the freeze for the public.
 * @typedef {Object} StatusWithStandings
 * @property {number} id
 * @property {string} name
 * @property {string} state - draft, running, paused or finished
 * @property {number} round - 0 before the start; the round being played, or the one just ended
 * @property {number} rounds
 * @property {(number|null)} next_round - the round next-round starts (between rounds only)
 * @property {boolean} between_rounds
 * @property {number} t_sim - simulated hours since the start
 * @property {number} round_ends_t - simulated hour at which the current round ends
 * @property {number} seconds_per_hour - wall-clock seconds per simulated hour
 * @property {(number|null)} seconds_left_in_round - wall-clock seconds to the round's end (running only)
 * @property {string} mode - shared or mirrored market
 * @property {string} preset
 * @property {number} hours_per_day - simulated hours in a business day
 * @property {number} round_hours - simulated hours in a round
 * @property {(number|null)} freeze_t - the simulated hour the public board is frozen at, if any
 * @property {boolean} frozen - whether the public board shows the standings as of freeze_t now
 * @property {boolean} revealed - whether a reveal ceremony has been held
 * @property {number} teams - how many teams play
 * @property {Array<StandingRow>} standings
 */

/**
 * @typedef {Object} SurveyAnswered
 * @property {"survey_answered"} kind - always 'survey_answered'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {string} customer_id
 * @property {number} satisfaction
 */

/**
 * @typedef {Object} SurveyRequested
 * @property {"survey_requested"} kind - always 'survey_requested'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {number} cost
 * @property {string} customer_id
 */

/**
 * One team's activity and its current members'.
 * @typedef {Object} TeamActivity
 * @property {number} commands
 * @property {number} refused
 * @property {(number|null)} last_command_t - simulated hour of the last command
 * @property {boolean} idle
 * @property {string} team
 * @property {Array<string>} members - the names of the members who have sent commands
 * @property {Array<PersonActivity>} people
 */

/**
 * @typedef {Object} TeamIn
 * @property {string} name
 * @property {(string|null)} [bot] - a house bot plays this team: balanced, cod, dumper, eager, forgetful, forgiver, lavish, lax, lender, passive, or strategy:LEVER=VALUE;…
 */

/**
 * A registered team and the code its members join with.
 * @typedef {Object} TeamJoinCode
 * @property {string} name
 * @property {string} join_code
 * @property {(string|null)} bot - the house bot playing the team; null: students play it
 */

/**
 * @typedef {Object} TeamJoined
 * @property {"team_joined"} kind - always 'team_joined'
 * @property {number} seq
 * @property {number} t
 * @property {string} team
 * @property {number} starting_cash
 */

/**
 * @typedef {Object} TeamMembersOut
 * @property {string} team
 * @property {string} join_code
 * @property {Array<MemberOut>} members
 */

/**
 * The member's team, its members, its cash and its place on the board.
 * @typedef {Object} TeamOverview
 * @property {string} team
 * @property {string} member
 * @property {string} role - the member's role: manager, sales, service or finance
 * @property {CompetitionStatus} competition
 * @property {Array<string>} members - the names of the members who have sent commands
 * @property {(StandingRow|null)} standing - the team's line of the public board
 * @property {(number|null)} cash - null before the start
 */

/**
 * A team's post-game report: its figures over time, notable moments, its score explained.
 * @typedef {Object} TeamReport
 * @property {string} team
 * @property {number} t_sim
 * @property {(StandingRow|null)} standing
 * @property {number} teams
 * @property {TeamSeries} series
 * @property {Array<TeamRound>} rounds
 * @property {Array<Moment>} moments
 * @property {Counts} counts
 * @property {Explanations} explanations
 * @property {Array<Award>} awards
 * @property {CompetitionStatus} status
 */

/**
 * The team's line at a round's end (only round and t if it had none).
 * @typedef {Object} TeamRound
 * @property {number} round
 * @property {number} t
 * @property {(string|null)} [team]
 * @property {(number|null)} [rank]
 * @property {(number|null)} [composite]
 * @property {(number|null)} [conversion]
 * @property {(number|null)} [won]
 * @property {(number|null)} [closed]
 * @property {(number|null)} [receivables]
 * @property {(number|null)} [due_total]
 * @property {(number|null)} [collected_due]
 * @property {(number|null)} [satisfaction]
 */

/**
 * The team's figures over simulated time, one value per t.
 * @typedef {Object} TeamSeries
 * @property {Array<number>} t
 * @property {Array<number>} composite
 * @property {Array<number>} rank
 * @property {Array<(number|null)>} conversion
 * @property {Array<(number|null)>} satisfaction
 * @property {Array<(number|null)>} receivables
 * @property {Array<(number|null)>} profit
 * @property {Array<(number|null)>} collected
 */

/**
 * Everything the team console shows, from the team's own ledger, at ``t_sim``.
 * @typedef {Object} TeamState
 * @property {number} t_sim
 * @property {number} cash
 * @property {number} free_cash - cash not committed to goods already promised
 * @property {Array<Inquiry>} inbox - open inquiries, the first to expire first
 * @property {Array<Approval>} approvals - pending approvals
 * @property {Array<Order>} orders
 * @property {Array<Invoice>} invoices
 * @property {Object<string, number>} aging - open receivables by bucket: current, 1-30, 31-60, 61-90, 90+
 * @property {Array<Complaint>} complaints
 * @property {Array<Customer>} customers
 * @property {Policies} policies
 * @property {DeskRules} desk
 */

/**
 * @typedef {Object} Teammate
 * @property {number} member_id
 * @property {string} name
 * @property {string} role
 * @property {(number|null)} rating - the rating you gave (1–5); null: none yet
 * @property {string} comment
 */

/**
 * A ticker line or a highlight, as the channels sent it.
 * @typedef {Object} TickerLine
 * @property {string} type - ticker or highlight
 * @property {number} t_sim
 * @property {Object<string, *>} data - its kind and the fields of that kind (docs/api.md, Highlights)
 */

/**
 * The weight of each metric in the composite.
 * @typedef {Object} Weights
 * @property {number} conversion
 * @property {number} satisfaction
 * @property {number} receivables
 * @property {number} profit
 * @property {number} rubric
 */

/**
 * @typedef {Object} WeightsIn
 * @property {number} [conversion]
 * @property {number} [satisfaction]
 * @property {number} [receivables]
 * @property {number} [profit]
 * @property {number} [rubric]
 */

/**
 * @typedef {Object<string, *>} WriteOffBody
 */

/** Any event of the log: its `kind` says which fields it has.
 * @typedef {(AccountCared|AnnouncementMade|ApologyPolicySet|ApprovalDecided|ApprovalRequested|CampaignLaunched|ComplaintEscalated|ComplaintOpened|ComplaintResolved|ComplaintSlaMissed|CreditChecked|CreditLimitSet|CreditNoteIssued|CustomerChurned|DeliveryHeld|FollowUpMade|InquiryDeclined|InquiryExpired|InquiryLost|InquiryReceived|InvoiceDue|InvoiceHandedOver|InvoiceIssued|InvoiceWrittenOff|NoteAdded|OrderDelivered|OrderVoided|OrderWon|ParametersChanged|PaymentReceived|QuotePolicySet|QuoteSent|RefundPaid|ReminderPolicySet|ReminderSent|RoundEnded|RoundStarted|SatisfactionChanged|ShockApplied|SurveyAnswered|SurveyRequested|TeamJoined)} Event
 */

/** @typedef {Criterion} AddCriterionAnswer */

/** @typedef {CommandApplied} AddNoteAnswer */

/** @typedef {TeamJoinCode} AddTeamAnswer */

/** @typedef {Array<TeamJoinCode>} AddTeamsCsvAnswer */

/** @typedef {CommandApplied} AnnounceAnswer */

/** @typedef {CommandApplied} ApproveDiscountAnswer */

/** @typedef {Awards} AwardsAnswer */

/** @typedef {Array<BoardChange>} BoardLogAnswer */

/** @typedef {Array<Named>} BotsAnswer */

/** @typedef {CommandApplied} CareForAccountAnswer */

/** @typedef {Criterion} ChangeCriterionAnswer */

/** @typedef {ParametersApplied} ChangeParametersAnswer */

/** @typedef {CommandApplied} CheckCreditAnswer */

/** @typedef {Debrief} ClassDebriefAnswer */

/** @typedef {Array<LoggedCommand>} CommandLogAnswer */

/** @typedef {CompetitionCreated} CreateAnswer */

/** @typedef {Parameters} CurrentParametersAnswer */

/** @typedef {CommandApplied} DeclineInquiryAnswer */

/** @typedef {CompetitionCreated} DetailAnswer */

/** @typedef {CompetitionStatus} EndAnswer */

/** @typedef {Array<(AccountCared|AnnouncementMade|ApologyPolicySet|ApprovalDecided|ApprovalRequested|CampaignLaunched|ComplaintEscalated|ComplaintOpened|ComplaintResolved|ComplaintSlaMissed|CreditChecked|CreditLimitSet|CreditNoteIssued|CustomerChurned|DeliveryHeld|FollowUpMade|InquiryDeclined|InquiryExpired|InquiryLost|InquiryReceived|InvoiceDue|InvoiceHandedOver|InvoiceIssued|InvoiceWrittenOff|NoteAdded|OrderDelivered|OrderVoided|OrderWon|ParametersChanged|PaymentReceived|QuotePolicySet|QuoteSent|RefundPaid|ReminderPolicySet|ReminderSent|RoundEnded|RoundStarted|SatisfactionChanged|ShockApplied|SurveyAnswered|SurveyRequested|TeamJoined)>} EventsAnswer */

/** @typedef {Explanation} ExplainAnswer */

/** @typedef {Explanation} ExplainOwnAnswer */

/** @typedef {CommandApplied} FollowUpAnswer */

/** @typedef {CompetitionStatus} FreezeAnswer */

/** @typedef {CommandApplied} HandOverToCollectionAnswer */

/** @typedef {Health} HealthAnswer */

/** @typedef {History} HistoryAnswer */

/** @typedef {CompetitionImported} ImportCompetitionAnswer */

/** @typedef {SessionOut} JoinAnswer */

/** @typedef {CommandApplied} LaunchCampaignAnswer */

/** @typedef {Array<CompetitionStatus>} ListCompetitionsAnswer */

/** @typedef {StatusWithStandings} LiveStandingsAnswer */

/** @typedef {Array<TickerLine>} LiveTickerAnswer */

/** @typedef {Lobby} LobbyAnswer */

/** @typedef {SessionOut} LoginInstructorAnswer */

/** @typedef {SessionOut} LoginJudgeAnswer */

/** @typedef {Array<TeamMembersOut>} MembersAnswer */

/** @typedef {Monitor} MonitorAnswer */

/** @typedef {MyPeerReview} MyPeerReviewAnswer */

/** @typedef {TeamMembersOut} NewJoinCodeAnswer */

/** @typedef {CompetitionStatus} NextRoundAnswer */

/** @typedef {TeamOverview} OverviewAnswer */

/** @typedef {Array<ParameterChange>} ParameterHistoryAnswer */

/** @typedef {CompetitionStatus} PauseAnswer */

/** @typedef {PeerReviews} PeerReviewsAnswer */

/** @typedef {Lobby} PlanStartAnswer */

/** @typedef {Array<PresetParameter>} PresetParametersAnswer */

/** @typedef {Array<Named>} PresetsAnswer */

/** @typedef {Preview} PreviewAnswer */

/** @typedef {Awards} PublicAwardsAnswer */

/** @typedef {StatusWithStandings} PublicBoardAnswer */

/** @typedef {History} PublicHistoryAnswer */

/** @typedef {Reveal} PublicRevealAnswer */

/** @typedef {Array<TickerLine>} PublicTickerAnswer */

/** @typedef {MyPeerReview} RateTeammatesAnswer */

/** @typedef {CommandApplied} RejectDiscountAnswer */

/** @typedef {TeamMembersOut} RemoveMemberAnswer */

/** @typedef {TeamReport} ReportAnswer */

/** @typedef {CommandApplied} RequestSurveyAnswer */

/** @typedef {Rescored} RescoreAnswer */

/** @typedef {CommandApplied} ResolveComplaintAnswer */

/** @typedef {CompetitionStatus} ResumeAnswer */

/** @typedef {Reveal} RevealAnswer */

/** @typedef {CommandApplied} ReviseQuoteAnswer */

/** @typedef {RoundReport} RoundReportAnswer */

/** @typedef {Rubric} RubricAnswer */

/** @typedef {Array<RubricEntry>} RubricLogAnswer */

/** @typedef {Scored} ScoreAnswer */

/** @typedef {Scoring} ScoringAnswer */

/** @typedef {Array<ScoringChange>} ScoringHistoryAnswer */

/** @typedef {CommandApplied} SendQuoteAnswer */

/** @typedef {CommandApplied} SendReminderAnswer */

/** @typedef {CommandApplied} SetApologyPolicyAnswer */

/** @typedef {CommandApplied} SetCreditLimitAnswer */

/** @typedef {MedalsSet} SetMedalsAnswer */

/** @typedef {CommandApplied} SetQuotePolicyAnswer */

/** @typedef {CommandApplied} SetReminderPolicyAnswer */

/** @typedef {CommandApplied} ShockAnswer */

/** @typedef {CompetitionStatus} StartAnswer */

/** @typedef {Preview} StartPreviewAnswer */

/** @typedef {TeamState} StateAnswer */

/** @typedef {Array<(AccountCared|AnnouncementMade|ApologyPolicySet|ApprovalDecided|ApprovalRequested|CampaignLaunched|ComplaintEscalated|ComplaintOpened|ComplaintResolved|ComplaintSlaMissed|CreditChecked|CreditLimitSet|CreditNoteIssued|CustomerChurned|DeliveryHeld|FollowUpMade|InquiryDeclined|InquiryExpired|InquiryLost|InquiryReceived|InvoiceDue|InvoiceHandedOver|InvoiceIssued|InvoiceWrittenOff|NoteAdded|OrderDelivered|OrderVoided|OrderWon|ParametersChanged|PaymentReceived|QuotePolicySet|QuoteSent|RefundPaid|ReminderPolicySet|ReminderSent|RoundEnded|RoundStarted|SatisfactionChanged|ShockApplied|SurveyAnswered|SurveyRequested|TeamJoined)>} TeamEventsAnswer */

/** @typedef {CompetitionStatus} UnfreezeAnswer */

/** @typedef {SessionOut} WhoamiAnswer */

/** @typedef {CommandApplied} WriteOffAnswer */

export {};
