//! Closed vocabularies (channel, status, direction, journey stage, survey kind,
//! event kind). Each parses the many spellings real exports use into one
//! canonical value; an unknown spelling is an error that lists what is known.

use std::fmt;

/// A spelling that is not in a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} '{value}'; known: {known}")]
pub struct UnknownTerm {
    pub vocabulary: &'static str,
    pub value: String,
    pub known: String,
}

/// Lower-case, trim, and fold spaces, dashes and dots into underscores so that
/// "Social media", "social-media" and "SOCIAL_MEDIA" compare equal.
pub fn normalise_term(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut last_sep = true;
    for ch in raw.trim().chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
            last_sep = false;
        } else if !last_sep {
            out.push('_');
            last_sep = true;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $label:literal {
            $( $variant:ident = $canon:literal [ $($alias:literal),* ] ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical spelling, as stored and as shown.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// Parses any known spelling (canonical or alias, any case).
            pub fn parse(raw: &str) -> Result<Self, UnknownTerm> {
                let key = normalise_term(raw);
                $(
                    if key == $canon $(|| key == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err(UnknownTerm {
                    vocabulary: $label,
                    value: raw.trim().to_string(),
                    known: [$($canon),+].join(", "),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownTerm;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}

vocabulary! {
    /// How the customer reached the service.
    Channel, "channel" {
        Phone = "phone" ["call", "calls", "voice", "telephone", "tel", "inbound_call", "outbound_call"],
        Email = "email" ["e_mail", "mail", "outbound_email", "email_ticket"],
        Chat = "chat" ["live_chat", "livechat", "web_chat", "webchat", "native_messaging_chat"],
        Messaging = "messaging" ["sms", "text", "whatsapp", "messenger", "native_messaging", "line", "wechat", "telegram"],
        Social = "social" ["social_media", "twitter", "x", "facebook", "instagram", "linkedin", "any_channel", "forum", "community"],
        BlogComment = "blog_comment" ["blog", "blog_comments", "comment", "blog_post_comment"],
        WebForm = "web_form" ["web", "webform", "form", "portal", "web_portal", "feedback_widget", "web_widget", "widget", "contact_form", "help_center"],
        SelfService = "self_service" ["selfservice", "bot", "chatbot", "ivr", "faq", "knowledge_base", "automated"],
        Api = "api" ["integration", "rule", "system"],
        Other = "other" [],
    }
}

vocabulary! {
    /// Where a request stands. Pausing statuses (waiting on customer or third
    /// party, on hold) matter to business-time clocks.
    Status, "status" {
        New = "new" ["created", "unassigned", "received"],
        Open = "open" ["in_progress", "assigned", "active", "working", "reopened", "escalated"],
        Pending = "pending" ["awaiting", "awaiting_response"],
        WaitingOnCustomer = "waiting_on_customer" ["pending_customer_response", "waiting_for_customer", "awaiting_customer", "customer_pending", "waiting_on_customer_response"],
        WaitingOnThirdParty = "waiting_on_third_party" ["waiting_for_third_party", "third_party", "waiting_on_vendor"],
        OnHold = "on_hold" ["hold", "held", "paused"],
        Resolved = "resolved" ["solved", "fixed", "done", "completed", "answered"],
        Closed = "closed" ["archived", "complete"],
    }
}

impl Status {
    /// True once the request has been resolved (solved or closed).
    pub fn is_resolved(self) -> bool {
        matches!(self, Status::Resolved | Status::Closed)
    }
}

vocabulary! {
    /// Who started the contact.
    Direction, "direction" {
        Inbound = "inbound" ["in", "incoming"],
        Outbound = "outbound" ["out", "outgoing"],
    }
}

vocabulary! {
    /// Where the customer is in the purchase journey (R-INDICATORS).
    JourneyStage, "journey stage" {
        BeforePurchase = "before_purchase" ["before", "pre_purchase", "presale", "pre_sale", "pre_sales"],
        DuringPurchase = "during_purchase" ["during", "purchase", "checkout"],
        AfterPurchase = "after_purchase" ["after", "post_purchase", "postsale", "post_sale", "after_sales", "support"],
    }
}

vocabulary! {
    /// The kind of a survey answer.
    SurveyKind, "survey kind" {
        Csat = "csat" ["satisfaction", "customer_satisfaction"],
        Ces = "ces" ["effort", "customer_effort"],
        Nps = "nps" ["net_promoter"],
        Custom = "custom" [],
    }
}

impl SurveyKind {
    /// The scale a survey of this kind uses when the source says nothing.
    pub fn default_scale(self) -> (f64, f64) {
        match self {
            SurveyKind::Csat => (1.0, 5.0),
            SurveyKind::Ces => (1.0, 7.0),
            SurveyKind::Nps => (0.0, 10.0),
            SurveyKind::Custom => (1.0, 5.0),
        }
    }
}

vocabulary! {
    /// What happened to an interaction at one moment (docs/product.md §3 events).
    EventKind, "event kind" {
        Created = "created" ["create", "opened", "new"],
        AgentReply = "agent_reply" ["reply", "agent_response", "response", "public_reply", "agent_comment"],
        CustomerReply = "customer_reply" ["requester_reply", "customer_comment", "customer_response"],
        StatusChange = "status_change" ["status", "status_changed"],
        Assigned = "assigned" ["assign", "assignment"],
        Resolved = "resolved" ["solved", "resolve"],
        Reopened = "reopened" ["reopen"],
        Confirmed = "confirmed" ["confirm", "customer_confirmed"],
        Closed = "closed" ["close"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_fold_to_canonical() {
        let cases = [
            ("Social media", Channel::Social),
            ("E-mail", Channel::Email),
            ("Web Portal", Channel::WebForm),
            ("  PHONE ", Channel::Phone),
            ("blog comment", Channel::BlogComment),
            ("Self-service", Channel::SelfService),
        ];
        for (raw, want) in cases {
            assert_eq!(Channel::parse(raw).unwrap(), want, "{raw}");
        }
        assert_eq!(
            Status::parse("Pending Customer Response").unwrap(),
            Status::WaitingOnCustomer
        );
        assert_eq!(Status::parse("In Progress").unwrap(), Status::Open);
        assert_eq!(Status::parse("Solved").unwrap(), Status::Resolved);
    }

    #[test]
    fn unknown_spelling_lists_known_values() {
        let err = Channel::parse("carrier pigeon").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("unknown channel 'carrier pigeon'; known: phone, email"),
            "{text}"
        );
    }

    #[test]
    fn canonical_spellings_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()).unwrap(), *c);
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()).unwrap(), *s);
        }
        for e in EventKind::ALL {
            assert_eq!(EventKind::parse(e.as_str()).unwrap(), *e);
        }
    }
}
