//! The demo organisation of docs/product.md §10, generated deterministically from a seed
//! and an "as of" date.
//!
//! # The organisation
//!
//! A company that sells streaming (a mobile app, a web player, a smart-TV
//! app) and the devices around it (smart TVs, routers, set-top boxes), with a
//! service centre working Europe/Madrid hours. Four teams and fifty agents:
//!
//! | team | agents | handles |
//! |---|---|---|
//! | Front Line | 16 | general questions on phone, chat and e-mail; self-service escalations; 60 % of login |
//! | Technical | 12 | `technical`, `buffering` and 40 % of `login` |
//! | Billing & Returns | 13 | `billing`, `payment`, `returns`, `cancellation` |
//! | Social & Community | 9 | `social` and `blog_comment` |
//!
//! The data covers the 13 whole months before the month of `as_of` plus that
//! month up to and including `as_of` (all timestamps UTC; nothing after the
//! end of `as_of`). Phone and chat are open 08:00–20:00 local time on
//! weekdays and a few hours at weekends; e-mail, social, blog comments and
//! self-service arrive around the clock. Volume has a weekly shape (Monday
//! peak, quiet weekends), a seasonal one (Black Friday to Christmas, January
//! returns, an August dip) and slow growth. Customers (`C-000001`…) have an
//! age (18–90), segment, plan, region, language, a signup date (most before
//! the window) and, for about one in seven a year, a churn date inside the
//! window. Interactions (`D-0000001`…) always point at a customer who had
//! signed up and not yet churned. CSAT (1–5), CES (1–7, 7 = very easy) and NPS
//! (0–10) answers ride on resolved contacts; QA reviews (`Q-000001`…) score
//! about four handled contacts per agent and month on the `service_quality`
//! rubric.
//!
//! # Patterns worth finding
//!
//! 1. **A team that improves** ([`IMPROVING_TEAM`], "Technical"): its first
//!    response times, repeat contacts and CSAT are a little worse than the
//!    rest until six months before `as_of`, then improve steadily to clearly
//!    better by `as_of`.
//!    ```sql
//!    SELECT date_trunc('month', created_at) m,
//!           median(date_diff('second', created_at, first_response_at)) frt
//!    FROM interactions WHERE team = 'Technical' AND channel = 'email' GROUP BY 1 ORDER BY 1;
//!    ```
//! 2. **An agent who struggles with concern** ([`STRUGGLING_AGENT`], "Kevin M.",
//!    Front Line): QA `concern` ratings mostly 2 (the business standard is 3;
//!    other agents average about 3.8), lower CSAT, and customers who come back
//!    on the same topic within 7 days about three times as often. His lead
//!    reviews about 35 of his contacts a month (others get 3 to 5), and his
//!    lowest concern ratings fall on the contacts that went wrong (a repeat,
//!    a reopen, a low CSAT): his scorecard's focus behaviour is `concern`.
//!    ```sql
//!    SELECT r.agent, avg(q.rating) FROM qa_reviews r JOIN qa_ratings q ON q.review_id = r.id
//!    WHERE q.criterion = 'concern' GROUP BY 1 ORDER BY 2;
//!    ```
//! 3. **A channel that breaches its response objective on Mondays**
//!    ([`MONDAY_CHANNEL`], "email"): the weekend backlog makes the first
//!    response to e-mails created on a Monday several times slower than on
//!    other days (median well over 8 hours against about 3).
//!    ```sql
//!    SELECT dayname(created_at), median(date_diff('second', created_at, first_response_at)) / 3600
//!    FROM interactions WHERE channel = 'email' GROUP BY 1;
//!    ```
//!
//! Every example goal of docs/product.md §6.5 has data in every month: CSAT of customers
//! aged 55–70, AHT of `login` (phone and chat carry talk, hold and
//! after-contact work), response time on `blog_comment`, retention (signup
//! and churn dates), FCR of `buffering` (always product `mobile_app`) and CES
//! on `returns` (surveyed more often, and harder work for the customer).
//!
//! # Goals
//!
//! [`goals::generate`], run after [`generate`], gives the organisation its
//! mission and a goal tree with months of check-ins and reviews: goals on
//! track, at risk, achieved early, achieved and missed, and the §6.5
//! examples among them.
//!
//! # Determinism
//!
//! The generator uses its own xoshiro256** generator seeded by SplitMix64
//! (no `rand` crate), so a seed and an `as_of` date give the same database on
//! every run and every dependency upgrade. Interactions are streamed day by
//! day into the import; memory stays bounded by one day of contacts.

use std::fmt::Write as _;

pub mod goals;
pub mod indicators;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use metas_domain::{
    Agent, Channel, Customer, Direction, Interaction, InteractionRecord, JourneyStage, QaReview,
    Status, SurveyAnswer, SurveyKind,
};
use metas_store::prelude::*;
use metas_store::{RubricCriterion, RubricDef, StoreError};
use serde::Serialize;

/// The agent whose QA `concern` ratings sit below the business standard, and
/// whose CSAT and repeat contacts suffer for it.
pub const STRUGGLING_AGENT: &str = "Kevin M.";

/// The struggling agent's lead reviews this many more of their contacts a
/// month than the usual three to five: enough reviewed interactions for the
/// scorecard's focus behaviour to tell a relation from the noise.
const STRUGGLING_EXTRA_REVIEWS: usize = 30;
/// The channel whose first response is much slower on Mondays.
pub const MONDAY_CHANNEL: &str = "email";
/// The team whose first response time and CSAT improve over the last six months.
pub const IMPROVING_TEAM: &str = "Technical";
/// The source every demo record is imported under.
pub const SOURCE: &str = "demo";
/// The QA rubric of the demo reviews.
pub const RUBRIC: &str = "service_quality";
pub const DEFAULT_SEED: u64 = 42;
pub const DEFAULT_INTERACTIONS: u64 = 200_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    /// Exactly this many interactions are generated.
    pub interactions: u64,
    /// The last day of data ("today" of the demo). Dates before 1971 or after
    /// 9000 are clamped into that range.
    pub as_of: Date,
}

impl DemoOptions {
    /// The default demo (seed 42, 200,000 interactions) ending on `as_of`.
    /// There is no `Default`: library code never reads the clock.
    pub fn new(as_of: Date) -> DemoOptions {
        DemoOptions {
            seed: DEFAULT_SEED,
            interactions: DEFAULT_INTERACTIONS,
            as_of,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub interactions: u64,
    pub customers: u64,
    pub agents: u64,
    pub teams: u64,
    /// Survey answers (CSAT, CES and NPS together).
    pub surveys: u64,
    pub qa_reviews: u64,
    /// First day with data.
    pub from: Date,
    /// Last day with data (`as_of`).
    pub to: Date,
}

/// Replaces everything under the `demo` source with a freshly generated
/// organisation, in one all-or-nothing import.
pub fn generate(store: &mut dyn Storage, opts: &DemoOptions) -> Result<DemoSummary, StoreError> {
    let mut g = Gen::new(opts);
    // The rubric, with its labels, saved as a rubric file would be
    // (version 1 on a new database; saving it again changes nothing).
    let checked = crate::qa::parse_rubric(
        RUBRIC,
        crate::qa::DEMO_RUBRIC_FILE,
        "examples/qa/service_quality.toml",
    )
    .map_err(|e| StoreError::Corrupt(format!("the demo rubric: {e}")))?;
    store.save_rubric(
        &checked,
        crate::qa::DEMO_RUBRIC_FILE,
        "metas demo",
        g.to.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH),
    )?;
    let mut tx = store.begin_import(SOURCE, "metas demo")?;
    tx.replace_source()?;
    g.write_agents(&mut *tx)?;
    g.write_customers(&mut *tx)?;
    g.write_interactions(&mut *tx)?;
    tx.commit(0)?;
    let summary = DemoSummary {
        interactions: g.num,
        customers: g.cust.m,
        agents: g.agents.len() as u64,
        teams: TEAMS.len() as u64,
        surveys: g.surveys,
        qa_reviews: g.qa_reviews,
        from: g.from,
        to: g.to,
    };
    tracing::info!(
        interactions = summary.interactions,
        customers = summary.customers,
        surveys = summary.surveys,
        qa_reviews = summary.qa_reviews,
        "demo organisation generated"
    );
    Ok(summary)
}

/// The `service_quality` rubric: 1–5, business standard 3 on every criterion.
pub fn rubric() -> RubricDef {
    let c = |name: &str, weight: f64, critical: bool| RubricCriterion {
        name: name.to_string(),
        scale_min: 1.0,
        scale_max: 5.0,
        weight,
        critical,
        standard: Some(3.0),
    };
    RubricDef {
        name: RUBRIC.to_string(),
        description: Some(
            "Service quality (1-5, 3 = business standard). concern: shows concern for the customer; \
             accuracy: correct and complete information (critical); tone: courteous, positive language; \
             resolution: solves the problem or sets clear next steps; process: follows procedure and \
             documents the contact."
                .to_string(),
        ),
        criteria: vec![
            c("concern", 1.0, false),
            c("accuracy", 1.0, true),
            c("tone", 1.0, false),
            c("resolution", 1.5, false),
            c("process", 0.5, false),
        ],
    }
}

// ---------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------

/// A small, frozen PRNG: xoshiro256** seeded through SplitMix64. Written
/// here so the demo never changes with a dependency upgrade.
mod rng {
    /// One SplitMix64 step.
    pub fn splitmix64(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Mixes two words into one well-spread word.
    pub fn mix(a: u64, b: u64) -> u64 {
        let mut s = a ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03);
        splitmix64(&mut s)
    }

    pub struct Rng {
        s: [u64; 4],
        spare: Option<f64>,
    }

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            let mut sm = seed;
            let s = [
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
            ];
            Rng { s, spare: None }
        }

        /// An independent stream of `seed` (one per purpose, so changing how
        /// one part draws never shifts another).
        pub fn stream(seed: u64, stream: u64) -> Rng {
            Rng::new(mix(seed, stream))
        }

        pub fn next_u64(&mut self) -> u64 {
            let s = &mut self.s;
            let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
            let t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = s[3].rotate_left(45);
            result
        }

        /// Uniform in [0, 1).
        pub fn f64(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
        }

        /// Uniform in [0, n) (n > 0).
        pub fn below(&mut self, n: u64) -> u64 {
            ((self.next_u64() as u128 * n as u128) >> 64) as u64
        }

        /// Uniform in [lo, hi).
        pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
            lo + (hi - lo) * self.f64()
        }

        /// Uniform integer in [lo, hi] (inclusive).
        pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
            lo + self.below((hi - lo + 1) as u64) as i64
        }

        /// Bernoulli.
        pub fn chance(&mut self, p: f64) -> bool {
            self.f64() < p
        }

        /// Standard normal (Box–Muller, both values used).
        pub fn normal(&mut self) -> f64 {
            if let Some(z) = self.spare.take() {
                return z;
            }
            let u1 = 1.0 - self.f64();
            let u2 = self.f64();
            let r = (-2.0 * u1.ln()).sqrt();
            let th = std::f64::consts::TAU * u2;
            self.spare = Some(r * th.sin());
            r * th.cos()
        }

        pub fn gauss(&mut self, mean: f64, sd: f64) -> f64 {
            mean + sd * self.normal()
        }

        /// Log-normal with the given median and log-space sigma.
        pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
            median * (sigma * self.normal()).exp()
        }

        /// Exponential with the given mean.
        pub fn exp(&mut self, mean: f64) -> f64 {
            -mean * (1.0 - self.f64()).ln()
        }

        /// An index drawn with probability proportional to its weight.
        pub fn weighted(&mut self, w: &[f64]) -> usize {
            let total: f64 = w.iter().sum();
            let mut x = self.f64() * total;
            let mut last = 0;
            for (i, &wi) in w.iter().enumerate() {
                if wi > 0.0 {
                    if x < wi {
                        return i;
                    }
                    x -= wi;
                    last = i;
                }
            }
            last
        }

        /// An index from a cumulative table ending at 1.0.
        pub fn pick_cdf(&mut self, cdf: &[f64]) -> usize {
            let u = self.f64();
            cdf.iter().position(|&c| u < c).unwrap_or(cdf.len() - 1)
        }
    }
}

use rng::{mix, Rng};

// ---------------------------------------------------------------------------
// Vocabulary of the organisation
// ---------------------------------------------------------------------------

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// Channels, in the order of the tables below.
const PHONE: usize = 0;
const EMAIL: usize = 1;
const CHAT: usize = 2;
const SOCIAL: usize = 3;
const BLOG: usize = 4;
const SELF: usize = 5;
const CHANNELS: [Channel; 6] = [
    Channel::Phone,
    Channel::Email,
    Channel::Chat,
    Channel::Social,
    Channel::BlogComment,
    Channel::SelfService,
];
/// Share of volume by channel.
const CHANNEL_SHARE: [f64; 6] = [0.30, 0.22, 0.20, 0.07, 0.04, 0.17];
/// Volume by weekday (Monday first), by channel.
const CHANNEL_DOW: [[f64; 7]; 6] = [
    [1.25, 1.10, 1.05, 1.00, 0.95, 0.35, 0.15],
    [1.15, 1.05, 1.00, 1.00, 0.95, 0.60, 0.55],
    [1.20, 1.05, 1.00, 1.00, 0.95, 0.50, 0.35],
    [1.00, 1.00, 1.00, 1.00, 1.00, 0.95, 0.90],
    [1.00, 1.00, 1.00, 1.00, 0.90, 0.70, 0.70],
    [1.10, 1.00, 1.00, 1.00, 0.95, 0.85, 0.85],
];

const LOGIN: usize = 0;
const ACCOUNT: usize = 1;
const BILLING: usize = 2;
const PAYMENT: usize = 3;
const SHIPPING: usize = 4;
const ORDER_STATUS: usize = 5;
const RETURNS: usize = 6;
const BUFFERING: usize = 7;
const TECHNICAL: usize = 8;
const CANCELLATION: usize = 9;
const PRODUCT_INFO: usize = 10;
const PRICING: usize = 11;
const TOPICS: [&str; 12] = [
    "login",
    "account",
    "billing",
    "payment",
    "shipping",
    "order_status",
    "returns",
    "buffering",
    "technical",
    "cancellation",
    "product_info",
    "pricing",
];
/// Topic mix by channel (same order as [`TOPICS`]).
const TOPIC_MIX: [[f64; 12]; 6] = [
    [12., 7., 15., 4., 6., 7., 8., 6., 13., 8., 8., 6.],
    [7., 8., 14., 4., 9., 8., 15., 6., 10., 6., 7., 6.],
    [12., 7., 10., 7., 7., 10., 8., 8., 10., 4., 11., 6.],
    [8., 3., 8., 3., 10., 8., 6., 22., 10., 6., 8., 8.],
    [6., 2., 4., 1., 3., 2., 3., 18., 16., 3., 28., 14.],
    [24., 10., 8., 4., 8., 16., 14., 6., 5., 3., 1., 1.],
];
/// Median talk time of a phone call by topic, seconds.
const TALK: [f64; 12] = [
    300., 330., 420., 360., 270., 240., 390., 540., 660., 480., 360., 300.,
];

const NO_PRODUCT: u8 = u8::MAX;
const PRODUCTS: [&str; 5] = ["mobile_app", "smart_tv", "web", "router", "set_top_box"];
const MOBILE_APP: u8 = 0;

const FRONT: usize = 0;
const TECH: usize = 1;
const BILL: usize = 2;
const COMMUNITY: usize = 3;
const TEAMS: [&str; 4] = [
    "Front Line",
    "Technical",
    "Billing & Returns",
    "Social & Community",
];
/// Team leads, who review QA for their team.
const LEADS: [&str; 4] = ["Marta Ruiz", "Omar Haddad", "Isabel Costa", "Peter Lang"];

/// Agents: name, team, load (share of a full-timer), months before `as_of`
/// when they joined (0 = before the window) and left (0 = still here).
const AGENTS: [(&str, usize, f64, f64, f64); 50] = [
    ("Ana G.", FRONT, 1.0, 0., 0.),
    (STRUGGLING_AGENT, FRONT, 1.0, 0., 0.),
    ("Lucía P.", FRONT, 1.0, 0., 0.),
    ("Tom B.", FRONT, 1.0, 0., 0.),
    ("Sara K.", FRONT, 0.6, 0., 0.),
    ("David R.", FRONT, 1.0, 0., 0.),
    ("Elena V.", FRONT, 1.0, 0., 0.),
    ("James O.", FRONT, 1.0, 0., 0.),
    ("Nuria F.", FRONT, 0.6, 0., 0.),
    ("Pedro A.", FRONT, 1.0, 0., 0.),
    ("Chloé D.", FRONT, 1.0, 0., 0.),
    ("Hugo L.", FRONT, 1.0, 0., 0.),
    ("Priya S.", FRONT, 1.0, 0., 0.),
    ("Marco T.", FRONT, 1.0, 0., 0.),
    ("Inés C.", FRONT, 1.0, 4., 0.),
    ("Liam W.", FRONT, 1.0, 4., 0.),
    ("Raj P.", TECH, 1.0, 0., 0.),
    ("Carmen N.", TECH, 1.0, 0., 0.),
    ("Oliver H.", TECH, 1.0, 0., 0.),
    ("Wei Z.", TECH, 1.0, 0., 0.),
    ("Laura M.", TECH, 1.0, 0., 0.),
    ("Jonas E.", TECH, 0.6, 0., 0.),
    ("Fatima B.", TECH, 1.0, 0., 0.),
    ("Diego S.", TECH, 1.0, 0., 0.),
    ("Emma J.", TECH, 1.0, 0., 0.),
    ("Yusuf K.", TECH, 1.0, 0., 0.),
    ("Clara R.", TECH, 1.0, 0., 0.),
    ("Bruno F.", TECH, 1.0, 0., 3.),
    ("Sofía H.", BILL, 1.0, 0., 0.),
    ("Mateo G.", BILL, 1.0, 0., 0.),
    ("Grace L.", BILL, 1.0, 0., 0.),
    ("Pablo D.", BILL, 1.0, 0., 0.),
    ("Amélie R.", BILL, 1.0, 0., 0.),
    ("Noah C.", BILL, 1.0, 0., 0.),
    ("Rosa T.", BILL, 0.6, 0., 0.),
    ("Ethan V.", BILL, 1.0, 0., 0.),
    ("Julia A.", BILL, 1.0, 0., 0.),
    ("Tiago M.", BILL, 1.0, 0., 0.),
    ("Hannah P.", BILL, 1.0, 0., 0.),
    ("Iker Z.", BILL, 1.0, 0., 0.),
    ("Mei L.", BILL, 1.0, 0., 0.),
    ("Zoe B.", COMMUNITY, 1.0, 0., 0.),
    ("Álvaro N.", COMMUNITY, 1.0, 0., 0.),
    ("Léa F.", COMMUNITY, 1.0, 0., 0.),
    ("Samuel O.", COMMUNITY, 1.0, 0., 0.),
    ("Irene D.", COMMUNITY, 0.6, 0., 0.),
    ("Lucas P.", COMMUNITY, 1.0, 0., 0.),
    ("Alba S.", COMMUNITY, 1.0, 0., 0.),
    ("Ming H.", COMMUNITY, 1.0, 0., 0.),
    ("Nora K.", COMMUNITY, 1.0, 0., 0.),
];

const SEGMENTS: [&str; 3] = ["consumer", "small_business", "enterprise"];
const PLANS: [&str; 3] = ["basic", "plus", "premium"];
const LANGUAGES: [&str; 5] = ["en", "es", "fr", "pt", "zh"];
const REGIONS: [&str; 8] = [
    "North America",
    "UK & Ireland",
    "Asia Pacific",
    "Spain",
    "Latin America",
    "France",
    "Brazil",
    "Portugal",
];
const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

const LOW_CSAT_COMMENTS: [&str; 6] = [
    "I explained twice that I was upset and it was simply ignored.",
    "Nobody acknowledged how frustrating this has been for us.",
    "The agent read a script at me and did not listen.",
    "Still not fixed and I had to contact you again.",
    "I felt like a ticket number, not a person.",
    "Took far too long to get an answer.",
];
const MID_CSAT_COMMENTS: [&str; 3] = [
    "It got sorted in the end.",
    "OK, but it took longer than it should have.",
    "Fine, although I had to repeat my details.",
];
const HIGH_CSAT_COMMENTS: [&str; 4] = [
    "Quick and friendly, thank you!",
    "Really helpful, solved at once.",
    "Great service, the agent clearly cared.",
    "Easy and fast.",
];
const CONCERN_QA_COMMENTS: [&str; 4] = [
    "Did not acknowledge the customer's frustration before moving to the fix.",
    "Missed that the customer said this was their third contact.",
    "No empathy statement; the customer's worry about the bill went unanswered.",
    "Technically correct, but the customer was left feeling unheard.",
];
const GOOD_QA_COMMENTS: [&str; 3] = [
    "Warm opening and clear next steps.",
    "Good ownership of the problem.",
    "Accurate and well documented.",
];
const QA_CRITERIA: [&str; 5] = ["concern", "accuracy", "tone", "resolution", "process"];

/// Local opening hours by weekday (Monday first); `open == close` is closed.
#[derive(Clone, Copy)]
struct Cal([(u8, u8); 7]);

/// The e-mail desk works every day (fewer people at weekends).
const CAL_EMAIL: Cal = Cal([(8, 20); 7]);
const CAL_SOCIAL: Cal = Cal([(8, 22); 7]);
/// Blog comments are answered by the community team on weekdays only.
const CAL_BLOG: Cal = Cal([(9, 18), (9, 18), (9, 18), (9, 18), (9, 18), (0, 0), (0, 0)]);
/// Phone and the live agents behind self-service and chat.
const CAL_FRONT: Cal = Cal([
    (8, 20),
    (8, 20),
    (8, 20),
    (8, 20),
    (8, 20),
    (9, 15),
    (10, 14),
]);
/// Back-office follow-up work.
const CAL_BACK: Cal = Cal([
    (8, 20),
    (8, 20),
    (8, 20),
    (8, 20),
    (8, 20),
    (10, 14),
    (0, 0),
]);

/// Arrivals by local hour.
const PROFILE_PHONE_WEEKDAY: [f64; 24] = [
    0., 0., 0., 0., 0., 0., 0., 0., 0.55, 1.0, 1.3, 1.3, 1.1, 0.85, 0.8, 0.95, 1.05, 0.95, 0.7,
    0.45, 0., 0., 0., 0.,
];
const PROFILE_PHONE_SAT: [f64; 24] = [
    0., 0., 0., 0., 0., 0., 0., 0., 0., 0.6, 1.0, 1.0, 0.9, 0.7, 0.5, 0., 0., 0., 0., 0., 0., 0.,
    0., 0.,
];
const PROFILE_PHONE_SUN: [f64; 24] = [
    0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0.8, 1.0, 0.9, 0.6, 0., 0., 0., 0., 0., 0., 0., 0., 0.,
    0.,
];
const PROFILE_CHAT_WEEKDAY: [f64; 24] = [
    0., 0., 0., 0., 0., 0., 0., 0., 0.5, 0.9, 1.15, 1.2, 1.1, 1.0, 0.95, 1.0, 1.05, 1.0, 0.9, 0.7,
    0., 0., 0., 0.,
];
const PROFILE_CHAT_WEEKEND: [f64; 24] = [
    0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0.8, 1.0, 1.0, 0.9, 0.9, 1.0, 0., 0., 0., 0., 0., 0.,
    0., 0.,
];
const PROFILE_ALWAYS: [f64; 24] = [
    0.2, 0.12, 0.08, 0.06, 0.06, 0.1, 0.25, 0.55, 0.9, 1.15, 1.25, 1.25, 1.1, 1.05, 1.1, 1.1, 1.05,
    0.95, 0.85, 0.8, 0.75, 0.65, 0.5, 0.35,
];
const PROFILE_BLOG: [f64; 24] = [
    0.3, 0.2, 0.1, 0.08, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
    1.1, 1.2, 1.2, 1.1, 0.8, 0.5,
];

/// Public holidays (month, day), quiet like a Sunday.
const HOLIDAYS: [(i32, i32); 5] = [(1, 1), (1, 6), (5, 1), (8, 15), (12, 25)];

// ---------------------------------------------------------------------------
// Calendar arithmetic (integer, no time-zone lookups on the hot path)
// ---------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn epoch_day(d: Date) -> i64 {
    days_from_civil(
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    )
}

/// Monday = 0.
fn weekday_of(epoch_day: i64) -> usize {
    (epoch_day + 3).rem_euclid(7) as usize
}

fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A bump centred on day-of-year `centre` with width `w` days (wrapping).
fn bump(doy: f64, centre: f64, w: f64) -> f64 {
    let mut d = (doy - centre).abs();
    if d > 182.5 {
        d = 365.0 - d;
    }
    (-0.5 * (d / w) * (d / w)).exp()
}

#[derive(Clone, Copy)]
struct Day {
    /// UTC midnight, seconds since the epoch.
    start: i64,
    /// Monday = 0.
    dow: usize,
    /// Europe/Madrid offset that day, seconds.
    off: i64,
    /// year * 12 + month - 1
    month: i64,
    doy: f64,
    holiday: bool,
    /// Interactions that day.
    count: u64,
}

impl Day {
    /// 0 weekday, 1 Saturday, 2 Sunday or holiday.
    fn kind(&self) -> usize {
        if self.holiday || self.dow == 6 {
            2
        } else if self.dow == 5 {
            1
        } else {
            0
        }
    }

    fn profile(&self, ch: usize) -> &'static [f64; 24] {
        match (ch, self.kind()) {
            (PHONE, 0) => &PROFILE_PHONE_WEEKDAY,
            (PHONE, 1) => &PROFILE_PHONE_SAT,
            (PHONE, _) => &PROFILE_PHONE_SUN,
            (CHAT, 0) => &PROFILE_CHAT_WEEKDAY,
            (CHAT, _) => &PROFILE_CHAT_WEEKEND,
            (BLOG, _) => &PROFILE_BLOG,
            _ => &PROFILE_ALWAYS,
        }
    }

    fn channel_weight(&self, ch: usize) -> f64 {
        let dow = if self.holiday { 6 } else { self.dow };
        CHANNEL_SHARE[ch] * CHANNEL_DOW[ch][dow]
    }
}

// ---------------------------------------------------------------------------
// Customers: derived from their index, so no table is kept in memory
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Cust {
    age: u8,
    segment: u8,
    plan: u8,
    region: u8,
    lang: u8,
    first_seen: i64,
    /// `i64::MAX` when the customer has not churned.
    churned_at: i64,
}

struct CustPlan {
    seed: u64,
    /// Customers in all.
    m: u64,
    /// Customers who signed up before the window; the rest sign up during it,
    /// in index order.
    k0: u64,
    start: i64,
    now: i64,
    /// Seconds between two signups inside the window.
    step: f64,
}

impl CustPlan {
    fn new(seed: u64, n: u64, start: i64, now: i64) -> CustPlan {
        let m = (n / 4).max(1_000);
        let k0 = m * 7 / 10;
        let step = (now - start) as f64 / (m - k0) as f64;
        CustPlan {
            seed: mix(seed, 0xC057),
            m,
            k0,
            start,
            now,
            step,
        }
    }

    fn facts(&self, idx: u64) -> Cust {
        let mut r = Rng::stream(self.seed, idx);
        let mut age = r.gauss(44.0, 15.5);
        for _ in 0..4 {
            if (18.0..=90.0).contains(&age) {
                break;
            }
            age = r.gauss(44.0, 15.5);
        }
        let age = age.clamp(18.0, 90.0).round() as u8;
        let segment = r.weighted(&[0.82, 0.13, 0.05]) as u8;
        let plan = match segment {
            0 => r.weighted(&[0.5, 0.35, 0.15]),
            1 => r.weighted(&[0.2, 0.5, 0.3]),
            _ => r.weighted(&[0.0, 0.3, 0.7]),
        } as u8;
        let lang = r.weighted(&[0.76, 0.10, 0.06, 0.05, 0.03]) as u8;
        let region = match lang {
            0 => r.weighted(&[0.45, 0.40, 0.15]),
            1 => 3 + r.weighted(&[0.7, 0.3]),
            2 => {
                if r.chance(0.85) {
                    5
                } else {
                    0
                }
            }
            3 => 6 + r.weighted(&[0.6, 0.4]),
            _ => 2,
        } as u8;
        let first_seen = if idx < self.k0 {
            // Before the window, more of them recently.
            let back = 1.0 + r.f64().powf(1.6) * 6.0 * 365.25 * DAY as f64;
            self.start - back as i64
        } else {
            let rel = (idx - self.k0) as f64;
            self.start + ((rel + r.f64()) * self.step) as i64
        };
        // Yearly hazard of churn by segment and plan (~15 % overall).
        let hazard = [0.19, 0.12, 0.06][segment as usize] * [1.25, 1.0, 0.75][plan as usize];
        let from = first_seen.max(self.start);
        let churn = from + (r.exp(1.0 / hazard) * 365.25 * DAY as f64) as i64;
        let churned_at = if idx > 0 && churn < self.now {
            churn
        } else {
            i64::MAX
        };
        Cust {
            age,
            segment,
            plan,
            region,
            lang,
            first_seen,
            churned_at,
        }
    }

    /// Customers with an index below this had signed up by `t`.
    fn bound(&self, t: i64) -> u64 {
        if t < self.start {
            return self.k0;
        }
        let rel = ((t - self.start) as f64 / self.step).floor() as u64;
        (self.k0 + rel).min(self.m)
    }
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

struct AgentInfo {
    name: &'static str,
    team: usize,
    load: f64,
    /// Quality: shifts CSAT and QA ratings.
    skill: f64,
    /// Handle-time factor.
    aht: f64,
    from: i64,
    to: i64,
    struggling: bool,
}

/// A contact scheduled to come back (a repeat contact on the same topic).
#[derive(Clone, Copy)]
struct Follow {
    customer: u64,
    channel: u8,
    topic: u8,
    product: u8,
}

#[derive(Clone, Copy)]
struct Slot {
    secs: u32,
    seq: u32,
    channel: u8,
    follow: Option<Follow>,
}

/// A handled contact that may be picked for QA.
#[derive(Clone, Copy)]
struct Cand {
    num: u64,
    agent: u16,
    created: i64,
    /// Came back, or was reopened.
    bad: bool,
    /// CSAT given on it (0 when none).
    csat: u8,
    open: bool,
}

/// Reservoir sample of one agent's contacts in one month.
struct Reservoir {
    seen: u64,
    want: usize,
    items: Vec<Cand>,
}

impl Reservoir {
    fn offer(&mut self, c: Cand, r: &mut Rng) {
        self.seen += 1;
        if self.items.len() < self.want {
            self.items.push(c);
        } else {
            let j = r.below(self.seen) as usize;
            if j < self.want {
                self.items[j] = c;
            }
        }
    }
}

/// Summary times of one generated contact, in seconds since the epoch.
#[derive(Default)]
struct Times {
    first_response: Option<i64>,
    first_resolved: Option<i64>,
    resolved: Option<i64>,
    confirmed: Option<i64>,
    closed: Option<i64>,
    person: Option<i64>,
    queue: Option<f64>,
    answered: Option<bool>,
    abandoned: Option<bool>,
    talk: Option<f64>,
    hold: Option<f64>,
    acw: Option<f64>,
    agent_replies: Option<i32>,
    customer_replies: Option<i32>,
    reopens: i32,
    /// Handled by a person (an agent is set).
    handled: bool,
    /// A ticket that can be left open, pending or waiting.
    ticket: bool,
}

const RING: usize = 8;

struct Gen {
    from: Date,
    to: Date,
    days: Vec<Day>,
    first_epoch_day: i64,
    now: i64,
    /// When the improving team starts to improve.
    improve_from: i64,
    agents: Vec<AgentInfo>,
    team_agents: [Vec<usize>; 4],
    cust: CustPlan,
    rng: Rng,
    qa_rng: Rng,
    hash_rng: Rng,
    line: u64,
    num: u64,
    surveys: u64,
    qa_reviews: u64,
    rec: InteractionRecord,
    ring: Vec<Vec<Follow>>,
    slots: Vec<Slot>,
    cdf: [[f64; 24]; 6],
    reservoirs: Vec<Reservoir>,
    qa_month: Vec<Cand>,
    review: QaReview,
}

fn set(field: &mut Option<String>, v: Option<&str>) {
    match (field.as_mut(), v) {
        (Some(s), Some(v)) => {
            s.clear();
            s.push_str(v);
        }
        (None, Some(v)) => *field = Some(v.to_string()),
        (_, None) => *field = None,
    }
}

fn set_id(field: &mut Option<String>, prefix: &str, width: usize, n: u64) {
    let s = field.get_or_insert_with(String::new);
    s.clear();
    let _ = write!(s, "{prefix}{n:0width$}");
}

/// ASCII e-mail local part of an agent name ("Amélie R." → "amelie.r").
fn email_of(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        let c = match ch {
            'á' | 'Á' | 'à' => 'a',
            'é' | 'É' | 'è' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            ' ' => '.',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => continue,
        };
        out.push(c);
    }
    out.push_str("@demo.metas.example");
    out
}

impl Gen {
    fn new(opts: &DemoOptions) -> Gen {
        let as_of = opts
            .as_of
            .clamp(Date::constant(1971, 1, 1), Date::constant(9000, 12, 31));
        let months = i64::from(as_of.year()) * 12 + i64::from(as_of.month()) - 1 - 13;
        let from = jiff::civil::date((months / 12) as i16, (months % 12 + 1) as i8, 1);
        let first_epoch_day = epoch_day(from);
        let last_epoch_day = epoch_day(as_of);
        let start = first_epoch_day * DAY;
        let now = (last_epoch_day + 1) * DAY;
        let seed = opts.seed;
        let mut setup = Rng::stream(seed, 1);

        let madrid =
            TimeZone::get("Europe/Madrid").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(1)));
        let ndays = (last_epoch_day - first_epoch_day + 1) as usize;
        let mut days = Vec::with_capacity(ndays);
        let mut weights = Vec::with_capacity(ndays);
        for i in 0..ndays {
            let ed = first_epoch_day + i as i64;
            let (y, m, d) = civil_from_days(ed);
            let start = ed * DAY;
            let off = i64::from(madrid.to_offset(ts(start + 12 * HOUR)).seconds());
            let doy = (ed - days_from_civil(y, 1, 1)) as f64;
            let day = Day {
                start,
                dow: weekday_of(ed),
                off,
                month: y * 12 + m - 1,
                doy,
                holiday: HOLIDAYS.contains(&(m as i32, d as i32)),
                count: 0,
            };
            let season = 1.0 + 0.22 * bump(doy, 340.0, 14.0) + 0.16 * bump(doy, 12.0, 10.0)
                - 0.14 * bump(doy, 222.0, 15.0)
                + 0.18 * bump(doy, 332.0, 2.5);
            let trend = 1.0 + 0.12 * i as f64 / ndays as f64;
            let noise = (1.0 + setup.gauss(0.0, 0.05)).max(0.5);
            let w: f64 =
                (0..6).map(|c| day.channel_weight(c)).sum::<f64>() * season * trend * noise;
            weights.push(w);
            days.push(day);
        }
        // Exactly `n` interactions: cumulative rounding of the day weights.
        let total: f64 = weights.iter().sum();
        let n = opts.interactions;
        let mut cum = 0.0;
        let mut given = 0u64;
        for (i, day) in days.iter_mut().enumerate() {
            cum += weights[i];
            let upto = if i + 1 == ndays {
                n
            } else {
                ((n as f64 * cum / total).round() as u64).min(n)
            };
            day.count = upto - given;
            given = upto;
        }

        let month_secs = 30.44 * DAY as f64;
        let mut agents = Vec::with_capacity(AGENTS.len());
        let mut team_agents: [Vec<usize>; 4] = Default::default();
        for (i, &(name, team, load, joined, left)) in AGENTS.iter().enumerate() {
            let struggling = name == STRUGGLING_AGENT;
            let skill = if struggling {
                -0.08
            } else {
                setup.gauss(0.0, 0.1).clamp(-0.25, 0.25)
            };
            agents.push(AgentInfo {
                name,
                team,
                load,
                skill,
                aht: setup.lognormal(1.0, 0.12),
                from: if joined > 0.0 {
                    now - (joined * month_secs) as i64
                } else {
                    i64::MIN
                },
                to: if left > 0.0 {
                    now - (left * month_secs) as i64
                } else {
                    i64::MAX
                },
                struggling,
            });
            team_agents[team].push(i);
        }
        let reservoirs = agents
            .iter()
            .map(|a| Reservoir {
                seen: 0,
                want: 3
                    + setup.below(3) as usize
                    + STRUGGLING_EXTRA_REVIEWS * usize::from(a.struggling),
                items: Vec::with_capacity(5),
            })
            .collect();

        Gen {
            from,
            to: as_of,
            days,
            first_epoch_day,
            now,
            improve_from: now - (182.5 * DAY as f64) as i64,
            agents,
            team_agents,
            cust: CustPlan::new(seed, n, start, now),
            rng: Rng::stream(seed, 2),
            qa_rng: Rng::stream(seed, 3),
            hash_rng: Rng::stream(seed, 4),
            line: 0,
            num: 0,
            surveys: 0,
            qa_reviews: 0,
            rec: InteractionRecord {
                interaction: Interaction::new(String::new(), Channel::Other, Timestamp::UNIX_EPOCH),
                surveys: Vec::new(),
                customer: None,
            },
            ring: (0..RING).map(|_| Vec::new()).collect(),
            slots: Vec::new(),
            cdf: [[0.0; 24]; 6],
            reservoirs,
            qa_month: Vec::new(),
            review: QaReview {
                external_id: String::new(),
                interaction_external_id: None,
                agent: String::new(),
                reviewer: None,
                rubric: RUBRIC.to_string(),
                reviewed_at: Timestamp::UNIX_EPOCH,
                ratings: QA_CRITERIA.iter().map(|c| (c.to_string(), None)).collect(),
                comment: None,
            },
        }
    }

    fn next_line(&mut self) -> (u64, i64) {
        self.line += 1;
        (self.line, self.hash_rng.next_u64() as i64)
    }

    fn write_agents(&mut self, tx: &mut dyn ImportSink) -> Result<(), StoreError> {
        for i in 0..self.agents.len() {
            let (line, _) = self.next_line();
            let a = &self.agents[i];
            tx.add_agent(
                line,
                &Agent {
                    name: a.name.to_string(),
                    team: Some(TEAMS[a.team].to_string()),
                    email: Some(email_of(a.name)),
                },
            )?;
        }
        Ok(())
    }

    fn write_customers(&mut self, tx: &mut dyn ImportSink) -> Result<(), StoreError> {
        let mut c = Customer::default();
        for idx in 0..self.cust.m {
            let f = self.cust.facts(idx);
            c.id.clear();
            let _ = write!(c.id, "C-{:06}", idx + 1);
            c.age = Some(i32::from(f.age));
            set(&mut c.segment, Some(SEGMENTS[f.segment as usize]));
            set(&mut c.plan, Some(PLANS[f.plan as usize]));
            set(&mut c.region, Some(REGIONS[f.region as usize]));
            set(&mut c.language, Some(LANGUAGES[f.lang as usize]));
            c.first_seen = Some(ts(f.first_seen));
            c.churned_at = (f.churned_at != i64::MAX).then(|| ts(f.churned_at));
            let (line, hash) = self.next_line();
            tx.add_customer(line, hash, &c)?;
        }
        Ok(())
    }

    /// How much slower than usual the improving team is at `t` (1.3 before
    /// the last six months, then steadily down to 0.55).
    fn improvement(&self, t: i64) -> f64 {
        if t < self.improve_from {
            1.3
        } else {
            let x = (t - self.improve_from) as f64 / (self.now - self.improve_from) as f64;
            1.3 - 0.75 * x.min(1.0)
        }
    }

    fn pick_customer(&mut self, t: i64) -> (u64, Cust) {
        let bound = self.cust.bound(t).max(1);
        for _ in 0..64 {
            let idx = self.rng.below(bound);
            let f = self.cust.facts(idx);
            if f.first_seen <= t && f.churned_at > t {
                return (idx, f);
            }
        }
        (0, self.cust.facts(0))
    }

    fn pick_agent(&mut self, team: usize, t: i64) -> usize {
        let members = &self.team_agents[team];
        for _ in 0..32 {
            let mut x = self.rng.f64() * members.iter().map(|&i| self.agents[i].load).sum::<f64>();
            let mut pick = members[0];
            for &i in members {
                if x < self.agents[i].load {
                    pick = i;
                    break;
                }
                x -= self.agents[i].load;
            }
            let a = &self.agents[pick];
            if a.from <= t && t < a.to {
                return pick;
            }
        }
        members
            .iter()
            .copied()
            .find(|&i| self.agents[i].from <= t && t < self.agents[i].to)
            .unwrap_or(members[0])
    }

    fn write_interactions(&mut self, tx: &mut dyn ImportSink) -> Result<(), StoreError> {
        let mut month = self.days.first().map(|d| d.month).unwrap_or(0);
        for di in 0..self.days.len() {
            let day = self.days[di];
            if day.month != month {
                self.flush_qa(tx)?;
                month = day.month;
            }
            // Arrival-time tables of the day, indexed by UTC hour.
            for ch in 0..6 {
                let p = day.profile(ch);
                let mut acc = 0.0;
                for h in 0..24 {
                    let lh = (h as i64 + day.off / HOUR).rem_euclid(24) as usize;
                    acc += p[lh];
                    self.cdf[ch][h] = acc;
                }
                for h in 0..24 {
                    self.cdf[ch][h] /= acc;
                }
            }
            let weights: [f64; 6] = std::array::from_fn(|c| day.channel_weight(c));
            let mut slots = std::mem::take(&mut self.slots);
            slots.clear();
            let mut due = std::mem::take(&mut self.ring[di % RING]);
            for f in due.drain(..) {
                if (slots.len() as u64) < day.count {
                    let secs = self.time_of_day(f.channel as usize);
                    slots.push(Slot {
                        secs,
                        seq: slots.len() as u32,
                        channel: f.channel,
                        follow: Some(f),
                    });
                } else {
                    self.ring[(di + 1) % RING].push(f);
                }
            }
            self.ring[di % RING] = due;
            while (slots.len() as u64) < day.count {
                let ch = self.rng.weighted(&weights);
                let secs = self.time_of_day(ch);
                slots.push(Slot {
                    secs,
                    seq: slots.len() as u32,
                    channel: ch as u8,
                    follow: None,
                });
            }
            slots.sort_unstable_by_key(|s| (s.secs, s.seq));
            for s in &slots {
                self.interaction(tx, di, s)?;
            }
            self.slots = slots;
        }
        self.flush_qa(tx)
    }

    fn time_of_day(&mut self, ch: usize) -> u32 {
        let h = self.rng.pick_cdf(&self.cdf[ch]) as u32;
        h * 3600 + self.rng.below(3600) as u32
    }

    fn interaction(
        &mut self,
        tx: &mut dyn ImportSink,
        di: usize,
        slot: &Slot,
    ) -> Result<(), StoreError> {
        let day = self.days[di];
        let t0 = day.start + i64::from(slot.secs);
        let ch = slot.channel as usize;
        self.num += 1;
        let num = self.num;

        // Who, and about what.
        let follow = slot
            .follow
            .filter(|f| self.cust.facts(f.customer).churned_at > t0);
        let (customer, topic, product) = match follow {
            Some(f) => (
                Some((f.customer, self.cust.facts(f.customer))),
                f.topic as usize,
                f.product,
            ),
            None => {
                let customer = if ch == BLOG && self.rng.chance(0.4) {
                    None
                } else {
                    Some(self.pick_customer(t0))
                };
                let mut w = TOPIC_MIX[ch];
                let doy = day.doy;
                w[RETURNS] *= 1.0 + 0.8 * bump(doy, 15.0, 12.0) + 0.3 * bump(doy, 360.0, 5.0);
                let xmas = 1.0 + 0.6 * bump(doy, 338.0, 12.0);
                w[SHIPPING] *= xmas;
                w[ORDER_STATUS] *= xmas;
                if let Some((_, c)) = customer {
                    if c.age >= 55 {
                        w[LOGIN] *= 1.6;
                    }
                    if c.segment > 0 {
                        w[BILLING] *= 1.3;
                    }
                }
                let topic = self.rng.weighted(&w);
                let product = self.product_for(topic);
                (customer, topic, product)
            }
        };
        let stage = match topic {
            PRODUCT_INFO | PRICING => JourneyStage::BeforePurchase,
            SHIPPING | ORDER_STATUS | PAYMENT => JourneyStage::DuringPurchase,
            BILLING if self.rng.chance(0.1) => JourneyStage::DuringPurchase,
            _ => JourneyStage::AfterPurchase,
        };
        let segment = customer.map(|(_, c)| c.segment).unwrap_or(0);
        let priority = {
            let w: [f64; 4] = match (segment, topic) {
                (2, _) => [0.05, 0.45, 0.35, 0.15],
                (_, PAYMENT | CANCELLATION) => [0.1, 0.55, 0.27, 0.08],
                (1, _) => [0.12, 0.58, 0.22, 0.08],
                _ => [0.22, 0.6, 0.14, 0.04],
            };
            self.rng.weighted(&w)
        };
        let prio_factor = [1.3, 1.0, 0.75, 0.5][priority];
        let team = match ch {
            SOCIAL | BLOG => COMMUNITY,
            _ => match topic {
                TECHNICAL | BUFFERING => TECH,
                LOGIN if self.rng.chance(0.4) => TECH,
                BILLING | PAYMENT | RETURNS | CANCELLATION => BILL,
                _ => FRONT,
            },
        };
        let imp = if team == TECH {
            self.improvement(t0)
        } else {
            1.0
        };
        let agent_ix = self.pick_agent(team, t0);
        let (skill, aht, struggling, newness) = {
            let a = &self.agents[agent_ix];
            let tenure = t0.saturating_sub(a.from) as f64 / (90.0 * DAY as f64);
            let newness = if tenure < 1.0 {
                1.0 + 0.3 * (1.0 - tenure)
            } else {
                1.0
            };
            (a.skill, a.aht, a.struggling, newness)
        };

        // What happened, channel by channel.
        let mut tm = Times::default();
        let r = &mut self.rng;
        let local_hour = ((slot.secs as i64 + day.off) / HOUR).rem_euclid(24) as usize;
        match ch {
            PHONE | CHAT => {
                let load = day.profile(ch)[local_hour].max(0.3);
                let monday = if day.dow == 0 { 1.3 } else { 1.0 };
                let (wait, patience) = if ch == PHONE {
                    (
                        r.lognormal(13.0 * load.powf(1.5) * monday * imp, 1.0),
                        r.exp(240.0),
                    )
                } else {
                    (
                        r.lognormal(30.0 * load.powf(1.2) * monday * imp, 0.8),
                        r.exp(400.0),
                    )
                };
                let wait = wait.min(1_800.0);
                if patience < wait {
                    tm.queue = Some(patience.round());
                    tm.answered = Some(false);
                    tm.abandoned = Some(true);
                } else {
                    tm.handled = true;
                    tm.queue = Some(wait.round());
                    tm.answered = Some(true);
                    tm.abandoned = Some(false);
                    let fr = t0 + wait.round() as i64;
                    tm.first_response = Some(fr);
                    let talk_median =
                        TALK[topic] * aht * newness * if ch == CHAT { 1.5 } else { 1.0 };
                    let talk = r.lognormal(talk_median, 0.45).round();
                    let hold = if ch == PHONE {
                        if r.chance(0.35) {
                            r.lognormal(70.0, 0.6).round()
                        } else {
                            0.0
                        }
                    } else {
                        0.0
                    };
                    let acw = r
                        .lognormal(if ch == PHONE { 45.0 } else { 40.0 } * aht, 0.5)
                        .round();
                    tm.talk = Some(talk);
                    tm.hold = (ch == PHONE).then_some(hold);
                    tm.acw = Some(acw);
                    let end = fr + (talk + hold + acw) as i64;
                    if r.chance(if ch == PHONE { 0.12 } else { 0.15 }) {
                        tm.ticket = true;
                        let work = r.lognormal(5.0 * HOUR as f64 * imp, 0.9);
                        tm.first_resolved = Some(advance(
                            &self.days,
                            self.first_epoch_day,
                            &CAL_BACK,
                            end,
                            work,
                        ));
                        tm.agent_replies = Some(2);
                    } else {
                        tm.first_resolved = Some(end);
                        tm.agent_replies = Some(1);
                    }
                    if ch == CHAT {
                        let n = 3 + r.below(8) as i32;
                        tm.agent_replies = Some(n + tm.agent_replies.unwrap_or(1) - 1);
                        tm.customer_replies = Some((n + r.int(-1, 1) as i32).max(1));
                    }
                }
            }
            EMAIL | SOCIAL | BLOG => {
                tm.handled = true;
                tm.ticket = true;
                let (median, cal, one_touch, res_median) = match ch {
                    EMAIL => (1.6 * HOUR as f64, &CAL_EMAIL, 0.5, 5.0 * HOUR as f64),
                    SOCIAL => (0.6 * HOUR as f64, &CAL_SOCIAL, 0.6, 3.0 * HOUR as f64),
                    _ => (3.0 * HOUR as f64, &CAL_BLOG, 0.75, 4.0 * HOUR as f64),
                };
                let mut f = imp * prio_factor;
                if ch == EMAIL {
                    f *= match day.dow {
                        0 => 3.2,
                        1 => 1.15,
                        5 | 6 => 1.3,
                        _ => 1.0,
                    };
                }
                let work = r.lognormal(median * f, 0.9);
                let fr = advance(&self.days, self.first_epoch_day, cal, t0, work);
                tm.first_response = Some(fr);
                if r.chance(one_touch) {
                    tm.first_resolved = Some(fr);
                    tm.agent_replies = Some(1);
                    tm.customer_replies = Some(0);
                } else {
                    let n = 2 + r.weighted(&[0.5, 0.25, 0.15, 0.1]) as i32;
                    // The customer takes a while to answer each exchange.
                    let mut customer_wait = 0.0;
                    for _ in 1..n {
                        customer_wait += r.lognormal(6.0 * HOUR as f64, 1.0);
                    }
                    // Returns wait for the parcel; some technical cases for engineering.
                    customer_wait += match topic {
                        RETURNS => r.lognormal(3.0 * DAY as f64, 0.5),
                        TECHNICAL if r.chance(0.15) => r.lognormal(2.0 * DAY as f64, 0.6),
                        _ => 0.0,
                    };
                    let work = r.lognormal(res_median * f64::from(n - 1) * imp, 0.8);
                    let back = fr + customer_wait as i64;
                    tm.first_resolved =
                        Some(advance(&self.days, self.first_epoch_day, cal, back, work));
                    tm.agent_replies = Some(n);
                    tm.customer_replies = Some(n - 1 + r.below(2) as i32);
                }
            }
            _ => {
                // Self-service: a bot first; a quarter reach a person.
                let bot = r.lognormal(150.0, 0.6).round() as i64;
                if r.chance(0.25) {
                    tm.handled = true;
                    let handoff = t0 + bot;
                    let wait = r.lognormal(150.0 * imp, 0.8);
                    let person =
                        advance(&self.days, self.first_epoch_day, &CAL_FRONT, handoff, wait);
                    tm.person = Some(person);
                    tm.first_response = Some(person);
                    let talk = r.lognormal(TALK[topic] * 1.3 * aht * newness, 0.45).round();
                    let acw = r.lognormal(40.0 * aht, 0.5).round();
                    tm.talk = Some(talk);
                    tm.acw = Some(acw);
                    tm.first_resolved = Some(person + (talk + acw) as i64);
                    let n = 2 + r.below(6) as i32;
                    tm.agent_replies = Some(n);
                    tm.customer_replies = Some(n);
                } else if r.chance(0.75) {
                    tm.first_resolved = Some(t0 + bot);
                }
            }
        }
        let handled = tm.handled;
        let contained = ch == SELF && !handled && tm.first_resolved.is_some();
        let bot_failed = ch == SELF && !handled && tm.first_resolved.is_none();

        // Does the customer come back on the same topic within a week?
        let r = &mut self.rng;
        let mut p_repeat = match ch {
            PHONE if tm.abandoned == Some(true) => 0.35,
            PHONE => 0.09,
            CHAT if tm.abandoned == Some(true) => 0.3,
            CHAT => 0.10,
            EMAIL => 0.12,
            SOCIAL => 0.10,
            BLOG => 0.04,
            _ if bot_failed => 0.5,
            _ if contained => 0.06,
            _ => 0.10,
        };
        if handled {
            p_repeat += match topic {
                BUFFERING => 0.07,
                TECHNICAL => 0.05,
                RETURNS => 0.03,
                BILLING => 0.02,
                LOGIN => -0.02,
                _ => 0.0,
            };
            p_repeat -= skill * 0.1;
            if struggling {
                p_repeat += 0.2;
            }
            if team == TECH {
                p_repeat *= 0.5 + 0.4 * imp;
            }
        }
        let repeat = customer.is_some() && r.chance(p_repeat.clamp(0.0, 0.9));
        if let (true, Some((cidx, _))) = (repeat, customer) {
            let k = 1 + r.weighted(&[0.35, 0.25, 0.17, 0.12, 0.08, 0.03]);
            if di + k < self.days.len() {
                let channel = match ch {
                    SELF => [PHONE, CHAT, SELF][r.weighted(&[0.5, 0.3, 0.2])],
                    BLOG => [SOCIAL, EMAIL][r.weighted(&[0.5, 0.5])],
                    c => [c, PHONE, CHAT][r.weighted(&[0.65, 0.25, 0.1])],
                };
                self.ring[(di + k) % RING].push(Follow {
                    customer: cidx,
                    channel: channel as u8,
                    topic: topic as u8,
                    product,
                });
            }
        }

        // Reopens, confirmation, closing.
        if let Some(fr) = tm.first_resolved {
            let mut res = fr;
            if tm.ticket || ch == CHAT {
                let p = if struggling { 0.10 } else { 0.04 } * if team == TECH { imp } else { 1.0 };
                if handled && r.chance(p) {
                    tm.reopens = if r.chance(0.2) { 2 } else { 1 };
                    for _ in 0..tm.reopens {
                        res += r.lognormal(1.5 * DAY as f64, 0.7) as i64;
                    }
                }
            }
            tm.resolved = Some(res);
            if tm.ticket {
                if r.chance(0.25) {
                    tm.confirmed = Some(res + r.lognormal(3.0 * HOUR as f64, 0.8) as i64);
                }
                tm.closed = Some(res + 4 * DAY + r.below(6 * HOUR as u64) as i64);
            } else {
                tm.closed = Some(res);
            }
        }

        // Nothing after the end of `as_of`.
        let now = self.now;
        let mut status = if tm.first_resolved.is_some() {
            Some(Status::Closed)
        } else {
            None
        };
        let mut agent_known = handled;
        if tm.first_response.is_some_and(|t| t > now) {
            tm.first_response = None;
            tm.person = None;
            tm.first_resolved = None;
            tm.resolved = None;
            tm.closed = None;
            tm.confirmed = None;
            status = Some(Status::New);
            agent_known = false;
            if ch == PHONE || ch == CHAT {
                tm.talk = None;
                tm.hold = None;
                tm.acw = None;
            }
        } else if tm.first_resolved.is_some_and(|t| t > now) {
            tm.first_resolved = None;
            tm.resolved = None;
            tm.closed = None;
            tm.confirmed = None;
            status = Some(
                [Status::Open, Status::Pending, Status::WaitingOnCustomer]
                    [r.weighted(&[0.5, 0.2, 0.3])],
            );
        } else if tm.resolved.is_some_and(|t| t > now) {
            tm.resolved = None;
            tm.closed = None;
            tm.confirmed = None;
            status = Some(Status::Open);
        } else if tm.closed.is_some_and(|t| t > now) {
            tm.closed = None;
            status = Some(Status::Resolved);
        }
        if tm.confirmed.is_some_and(|t| t > now) {
            tm.confirmed = None;
        }
        if tm.reopens > 0 && tm.resolved.is_none() && tm.first_resolved.is_none() {
            tm.reopens = 0;
        }

        // Surveys on resolved contacts.
        let resolved = tm.resolved.is_some();
        let mut csat_given = 0u8;
        let rec = &mut self.rec;
        rec.surveys.clear();
        if let (true, Some((_, c))) = (resolved, customer) {
            let res = tm.resolved.unwrap_or(t0);
            let quick = matches!(ch, PHONE | CHAT | SELF);
            let senior = (55..=70).contains(&c.age);
            let rate = [0.22, 0.20, 0.25, 0.08, 0.0, 0.10][ch] * if senior { 1.15 } else { 1.0 };
            let bad = repeat || tm.reopens > 0;
            if r.chance(rate) {
                let slow = tm
                    .first_response
                    .is_some_and(|f| (f - t0) > if quick { 300 } else { 20 * HOUR });
                let mut mu = 4.35 + skill * 0.8;
                if struggling {
                    mu -= 0.55;
                }
                if bad {
                    mu -= 0.6;
                }
                if slow {
                    mu -= 0.3;
                }
                if senior {
                    mu -= 0.15;
                }
                if !handled {
                    mu -= 0.2;
                }
                mu -= match topic {
                    CANCELLATION => 0.5,
                    BUFFERING => 0.2,
                    RETURNS | BILLING => 0.1,
                    _ => 0.0,
                };
                if team == TECH && handled {
                    // From -0.35 before the last six months to +0.2 at the end.
                    mu += 0.2 - 0.55 * (imp - 0.55) / 0.75;
                }
                let score = r.gauss(mu, 0.95).round().clamp(1.0, 5.0);
                csat_given = score as u8;
                let comment = if score <= 2.0 && r.chance(0.3) {
                    Some(if struggling {
                        LOW_CSAT_COMMENTS[r.below(3) as usize]
                    } else {
                        LOW_CSAT_COMMENTS[r.below(LOW_CSAT_COMMENTS.len() as u64) as usize]
                    })
                } else if score == 3.0 && r.chance(0.1) {
                    Some(MID_CSAT_COMMENTS[r.below(MID_CSAT_COMMENTS.len() as u64) as usize])
                } else if score >= 4.0 && r.chance(0.08) {
                    Some(HIGH_CSAT_COMMENTS[r.below(HIGH_CSAT_COMMENTS.len() as u64) as usize])
                } else {
                    None
                };
                push_survey(rec, r, SurveyKind::Csat, score, res, quick, now, comment);
            }
            let ces_rate =
                if topic == RETURNS { 0.25 } else { 0.08 } * if ch == BLOG { 0.0 } else { 1.0 };
            if r.chance(ces_rate) {
                let mut mu = 5.4;
                if topic == RETURNS {
                    mu -= 1.1;
                }
                if bad {
                    mu -= 0.8;
                }
                if struggling {
                    mu -= 0.5;
                }
                let score = r.gauss(mu, 1.2).round().clamp(1.0, 7.0);
                push_survey(rec, r, SurveyKind::Ces, score, res, quick, now, None);
            }
            if ch != BLOG && r.chance(0.05) {
                let mut mu = 7.6 + skill * 2.0;
                if struggling {
                    mu -= 0.8;
                }
                if bad {
                    mu -= 1.0;
                }
                let score = r.gauss(mu, 2.0).round().clamp(0.0, 10.0);
                push_survey(rec, r, SurveyKind::Nps, score, res, quick, now, None);
            }
        }
        self.surveys += rec.surveys.len() as u64;

        // The record.
        let i = &mut rec.interaction;
        i.external_id.clear();
        let _ = write!(i.external_id, "D-{num:07}");
        i.channel = CHANNELS[ch];
        i.direction = Some(Direction::Inbound);
        i.automated = Some(ch == SELF);
        i.created_at = ts(t0);
        i.first_response_at = tm.first_response.map(ts);
        i.first_resolved_at = tm.first_resolved.map(ts);
        i.resolved_at = tm.resolved.map(ts);
        i.confirmed_at = tm.confirmed.map(ts);
        i.closed_at = tm.closed.map(ts);
        i.person_reached_at = tm.person.map(ts);
        i.reopen_count = (tm.ticket || ch == CHAT || handled).then_some(tm.reopens);
        i.agent_replies = tm.agent_replies.filter(|_| agent_known);
        i.customer_replies = tm.customer_replies.filter(|_| agent_known);
        i.status = status;
        set(&mut i.priority, Some(PRIORITIES[priority]));
        set(&mut i.topic, Some(TOPICS[topic]));
        set(
            &mut i.product,
            (product != NO_PRODUCT).then(|| PRODUCTS[product as usize]),
        );
        i.journey_stage = Some(stage);
        match customer {
            Some((idx, _)) => set_id(&mut i.customer_id, "C-", 6, idx + 1),
            None => i.customer_id = None,
        }
        let agent_name = self.agents[agent_ix].name;
        set(&mut i.agent, agent_known.then_some(agent_name));
        let queue_team = matches!(ch, PHONE | CHAT) || handled;
        set(&mut i.team, queue_team.then_some(TEAMS[team]));
        set(
            &mut i.language,
            Some(
                customer
                    .map(|(_, c)| LANGUAGES[c.lang as usize])
                    .unwrap_or("en"),
            ),
        );
        i.queue_wait_secs = tm.queue;
        i.answered = tm.answered;
        i.abandoned = tm.abandoned;
        i.talk_secs = tm.talk.filter(|_| agent_known);
        i.hold_secs = tm.hold.filter(|_| agent_known);
        i.acw_secs = tm.acw.filter(|_| agent_known);
        i.resolved_first_contact = None;

        self.line += 1;
        let line = self.line;
        let hash = self.hash_rng.next_u64() as i64;
        tx.add_interaction(line, hash, &self.rec)?;

        if agent_known {
            let cand = Cand {
                num,
                agent: agent_ix as u16,
                created: t0,
                bad: repeat || tm.reopens > 0,
                csat: csat_given,
                open: !resolved,
            };
            self.reservoirs[agent_ix].offer(cand, &mut self.qa_rng);
        }
        Ok(())
    }

    fn product_for(&mut self, topic: usize) -> u8 {
        let r = &mut self.rng;
        match topic {
            BUFFERING => MOBILE_APP,
            LOGIN => [0, 2, 1][r.weighted(&[0.45, 0.35, 0.2])],
            ACCOUNT => [2, 0][r.weighted(&[0.6, 0.4])],
            TECHNICAL => [3, 1, 4, 2][r.weighted(&[0.4, 0.3, 0.2, 0.1])],
            RETURNS | SHIPPING | ORDER_STATUS => [1, 3, 4][r.weighted(&[0.4, 0.35, 0.25])],
            PRODUCT_INFO => [1, 3, 4, 0][r.weighted(&[0.35, 0.25, 0.2, 0.2])],
            _ => NO_PRODUCT,
        }
    }

    /// Writes the QA reviews of the month just ended and starts the next.
    fn flush_qa(&mut self, tx: &mut dyn ImportSink) -> Result<(), StoreError> {
        self.qa_month.clear();
        for (res, a) in self.reservoirs.iter_mut().zip(&self.agents) {
            self.qa_month.append(&mut res.items);
            res.seen = 0;
            res.want = 3
                + self.qa_rng.below(3) as usize
                + STRUGGLING_EXTRA_REVIEWS * usize::from(a.struggling);
        }
        self.qa_month.sort_unstable_by_key(|c| (c.created, c.num));
        let month = std::mem::take(&mut self.qa_month);
        for c in &month {
            self.qa_review(tx, c)?;
        }
        self.qa_month = month;
        Ok(())
    }

    fn qa_review(&mut self, tx: &mut dyn ImportSink, c: &Cand) -> Result<(), StoreError> {
        let a = &self.agents[c.agent as usize];
        let r = &mut self.qa_rng;
        self.qa_reviews += 1;
        let rv = &mut self.review;
        rv.external_id.clear();
        let _ = write!(rv.external_id, "Q-{:06}", self.qa_reviews);
        set_id(&mut rv.interaction_external_id, "D-", 7, c.num);
        rv.agent.clear();
        rv.agent.push_str(a.name);
        set(&mut rv.reviewer, Some(LEADS[a.team]));
        let delay = r.range(0.5, 9.0) * DAY as f64;
        rv.reviewed_at = ts((c.created + delay as i64).min(self.now).max(c.created));
        let rate = |r: &mut Rng, mu: f64, sd: f64| Some(r.gauss(mu, sd).round().clamp(1.0, 5.0));
        let penalty =
            if c.bad { 0.4 } else { 0.0 } + if c.csat > 0 && c.csat <= 2 { 0.5 } else { 0.0 };
        let concern = if a.struggling {
            // Below the standard on most contacts, and lowest on those that
            // went wrong (a repeat, a reopen, a low CSAT): the pattern the
            // scorecard's focus behaviour finds (docs/scorecard.md).
            let weights = if penalty > 0.0 {
                [0.30, 0.66, 0.04, 0.0]
            } else {
                [0.04, 0.50, 0.40, 0.06]
            };
            Some(1.0 + r.weighted(&weights) as f64)
        } else {
            rate(r, 3.85 + a.skill * 1.5 - penalty, 0.75)
        };
        let tone = if a.struggling {
            rate(r, 3.0, 0.8)
        } else {
            rate(r, 3.9 + a.skill - penalty * 0.5, 0.7)
        };
        let accuracy = if r.chance(0.02) {
            Some(1.0)
        } else {
            rate(r, 4.2 + a.skill, 0.7)
        };
        let resolution = if c.open {
            None
        } else if c.bad {
            rate(r, 2.9, 0.9)
        } else {
            rate(r, 4.0 + a.skill, 0.8)
        };
        let process = if r.chance(0.04) {
            None
        } else {
            rate(r, 3.9, 0.7)
        };
        for (slot, v) in rv
            .ratings
            .iter_mut()
            .zip([concern, accuracy, tone, resolution, process])
        {
            slot.1 = v;
        }
        let comment = if concern.is_some_and(|v| v <= 2.0) && r.chance(0.5) {
            Some(CONCERN_QA_COMMENTS[r.below(CONCERN_QA_COMMENTS.len() as u64) as usize])
        } else if concern.is_some_and(|v| v >= 4.0) && r.chance(0.2) {
            Some(GOOD_QA_COMMENTS[r.below(GOOD_QA_COMMENTS.len() as u64) as usize])
        } else {
            None
        };
        set(&mut rv.comment, comment);
        let (line, hash) = self.next_line();
        tx.add_qa_review(line, hash, &self.review)
    }
}

/// The moment `work` seconds of opening time of `cal` have passed after `t`
/// (local time from the day table's Madrid offsets; edges extend outwards).
fn advance(days: &[Day], first_epoch_day: i64, cal: &Cal, mut t: i64, work: f64) -> i64 {
    let offset_at = |t: i64| {
        let i = (t.div_euclid(DAY) - first_epoch_day).clamp(0, days.len() as i64 - 1);
        days[i as usize].off
    };
    let mut left = work.clamp(0.0, 20.0 * DAY as f64) as i64;
    for _ in 0..2_000 {
        let local = t + offset_at(t);
        let lsec = local.rem_euclid(DAY);
        let (o, c) = cal.0[weekday_of(local.div_euclid(DAY))];
        let (o, c) = (i64::from(o) * HOUR, i64::from(c) * HOUR);
        if o >= c || lsec >= c {
            t += DAY - lsec;
        } else if lsec < o {
            t += o - lsec;
        } else {
            let avail = c - lsec;
            if left <= avail {
                return t + left;
            }
            left -= avail;
            t += avail;
        }
    }
    t
}

#[expect(
    clippy::too_many_arguments,
    reason = "one survey answer is drawn from many independent figures"
)]
fn push_survey(
    rec: &mut InteractionRecord,
    r: &mut Rng,
    kind: SurveyKind,
    score: f64,
    resolved: i64,
    quick: bool,
    now: i64,
    comment: Option<&str>,
) {
    let delay = if quick {
        r.lognormal(240.0, 0.6)
    } else {
        r.lognormal(2.0 * HOUR as f64, 1.0)
    };
    let at = resolved + delay as i64;
    if at > now {
        return;
    }
    let (scale_min, scale_max) = kind.default_scale();
    rec.surveys.push(SurveyAnswer {
        kind,
        score,
        scale_min,
        scale_max,
        answered_at: Some(ts(at)),
        comment: comment.map(str::to_string),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use metas_store::Store;
    use serde_json::Value;

    const AS_OF: Date = Date::constant(2025, 6, 30);

    fn demo(seed: u64, n: u64) -> (Store, DemoSummary) {
        let mut store = Store::open_in_memory().unwrap();
        let opts = DemoOptions {
            seed,
            interactions: n,
            as_of: AS_OF,
        };
        let summary = generate(&mut store, &opts).unwrap();
        (store, summary)
    }

    fn f(v: &Value) -> f64 {
        match v {
            Value::Number(n) => n.as_f64().unwrap(),
            Value::String(s) => s.parse().unwrap_or_else(|_| panic!("not a number: {s}")),
            Value::Null => f64::NAN,
            other => panic!("not a number: {other}"),
        }
    }

    fn one(store: &Store, sql: &'static str) -> f64 {
        let rows = store.query_json(sql, &[]).unwrap();
        f(&rows[0][0])
    }

    #[test]
    fn prng_is_frozen() {
        // SplitMix64 reference value for state 0.
        let mut s = 0u64;
        assert_eq!(rng::splitmix64(&mut s), 0xE220_A839_7B1D_CDAF);
        // xoshiro256** outputs pinned for seed 42: a change here changes every demo.
        let mut r = Rng::new(42);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = Rng::new(42);
        assert_eq!(got, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        let mut r = Rng::new(7);
        let n = 200_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            sum += z;
            sq += z * z;
        }
        let mean = sum / n as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((sq / n as f64 - 1.0).abs() < 0.02);
        assert!((0..1000).all(|_| r.below(10) < 10));
        let heads = (0..100_000).filter(|_| r.chance(0.3)).count();
        assert!((29_000..31_000).contains(&heads), "{heads}");
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        for z in [-800_000, -1, 0, 1, 59, 10_957, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(epoch_day(Date::constant(2025, 6, 30)), 20_269);
        assert_eq!(weekday_of(20_269), 0, "2025-06-30 is a Monday");
    }

    #[test]
    fn demo_organisation_has_the_promised_shape() {
        let (store, s) = demo(7, 20_000);

        // Summary counts match the tables.
        let counts = store
            .query_json(
                "SELECT (SELECT count(*) FROM interactions), (SELECT count(*) FROM customers),
                        (SELECT count(*) FROM agents), (SELECT count(*) FROM teams),
                        (SELECT count(*) FROM survey_answers), (SELECT count(*) FROM qa_reviews)",
                &[],
            )
            .unwrap();
        let got: Vec<u64> = counts[0].iter().map(|v| f(v) as u64).collect();
        assert_eq!(
            got,
            vec![
                s.interactions,
                s.customers,
                s.agents,
                s.teams,
                s.surveys,
                s.qa_reviews
            ]
        );
        assert_eq!(s.interactions, 20_000);
        assert_eq!(s.customers, 5_000);
        assert!(s.teams >= 3);
        assert!((45..=55).contains(&s.agents));
        assert!(s.surveys > 20_000 / 10, "{s:?}");
        // About four reviews per agent and month.
        let per_agent_month = s.qa_reviews as f64 / 50.0 / 14.0;
        assert!((3.0..5.0).contains(&per_agent_month), "{per_agent_month}");
        assert_eq!(s.to, AS_OF);
        assert_eq!(s.from, Date::constant(2024, 5, 1));

        // At least twelve months, nothing after the end of as_of.
        let span = one(
            &store,
            "SELECT date_diff('day', min(created_at), max(created_at)) FROM interactions",
        );
        assert!(span >= 365.0, "{span}");
        let late = one(
            &store,
            "SELECT count(*) FROM interactions WHERE greatest(created_at, first_response_at, first_resolved_at,
                 resolved_at, confirmed_at, closed_at, person_reached_at) > TIMESTAMP '2025-07-01 00:00:00'
                 OR created_at < TIMESTAMP '2024-05-01 00:00:00'",
        );
        assert_eq!(late, 0.0);
        let late = one(
            &store,
            "SELECT (SELECT count(*) FROM survey_answers WHERE answered_at > TIMESTAMP '2025-07-01 00:00:00')
                  + (SELECT count(*) FROM qa_reviews WHERE reviewed_at > TIMESTAMP '2025-07-01 00:00:00')",
        );
        assert_eq!(late, 0.0);

        // Times are in order.
        let disorder = one(
            &store,
            "SELECT count(*) FROM interactions WHERE first_response_at < created_at
                 OR first_resolved_at < created_at OR resolved_at < first_resolved_at
                 OR closed_at < resolved_at OR person_reached_at < created_at",
        );
        assert_eq!(disorder, 0.0);

        // Every interaction's customer exists, had signed up and had not churned.
        let orphans = one(
            &store,
            "SELECT count(*) FROM interactions i LEFT JOIN customers c ON c.id = i.customer_id
             WHERE i.customer_id IS NOT NULL
               AND (c.id IS NULL OR c.first_seen > i.created_at OR c.churned_at <= i.created_at)",
        );
        assert_eq!(orphans, 0.0);
        let (churned, before, ages) = {
            let r = store
                .query_json(
                    "SELECT count(*) FILTER (WHERE churned_at IS NOT NULL),
                            count(*) FILTER (WHERE first_seen < TIMESTAMP '2024-05-01 00:00:00'),
                            min(age) * 1000 + max(age)
                     FROM customers",
                    &[],
                )
                .unwrap();
            (f(&r[0][0]), f(&r[0][1]), f(&r[0][2]))
        };
        assert!(churned > 200.0 && churned < 1_500.0, "{churned}");
        assert!(before > 3_000.0, "{before}");
        assert!(
            (18_080.0..=18_090.0).contains(&ages),
            "min*1000+max age {ages}"
        );

        // Channels, topics and products.
        let rows = store
            .query_json(
                "SELECT channel, count(*) FROM interactions GROUP BY 1 ORDER BY 1",
                &[],
            )
            .unwrap();
        let channels: Vec<String> = rows
            .iter()
            .map(|r| r[0].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            channels,
            [
                "blog_comment",
                "chat",
                "email",
                "phone",
                "self_service",
                "social"
            ]
        );
        assert_eq!(
            one(&store, "SELECT count(*) FROM interactions WHERE topic = 'buffering' AND product IS DISTINCT FROM 'mobile_app'"),
            0.0
        );
        assert_eq!(
            one(&store, "SELECT count(*) FROM interactions WHERE topic = 'returns' AND journey_stage <> 'after_purchase'"),
            0.0
        );
        // Self-service: automated, a person (and an agent) only when escalated.
        let r = store
            .query_json(
                "SELECT count(*) FILTER (WHERE automated AND person_reached_at IS NOT NULL AND agent IS NOT NULL),
                        count(*) FILTER (WHERE person_reached_at IS NULL AND agent IS NOT NULL),
                        count(*) FILTER (WHERE NOT automated)
                 FROM interactions WHERE channel = 'self_service'",
                &[],
            )
            .unwrap();
        assert!(f(&r[0][0]) > 100.0);
        assert_eq!(f(&r[0][1]), 0.0);
        assert_eq!(f(&r[0][2]), 0.0);
        // Abandoned calls have no agent and no talk time.
        let r = store
            .query_json(
                "SELECT count(*) FILTER (WHERE abandoned),
                        count(*) FILTER (WHERE abandoned AND (agent IS NOT NULL OR talk_secs IS NOT NULL)),
                        count(*) FILTER (WHERE abandoned) * 1.0 / count(*)
                 FROM interactions WHERE channel = 'phone'",
                &[],
            )
            .unwrap();
        assert!(f(&r[0][0]) > 50.0);
        assert_eq!(f(&r[0][1]), 0.0);
        assert!(f(&r[0][2]) < 0.15, "abandon rate {}", f(&r[0][2]));
        // Recent tickets are still open.
        assert!(
            one(&store, "SELECT count(*) FROM interactions WHERE status IN ('open', 'pending', 'waiting_on_customer')") >= 5.0
        );
        assert!(
            one(
                &store,
                "SELECT count(*) FROM interactions WHERE reopen_count > 0"
            ) > 50.0
        );

        // Every §6.5 slice has data in each of the 14 months.
        let slices = store
            .query_json(
                "WITH m AS (SELECT date_trunc('month', i.created_at) AS month, i.*, c.age
                            FROM interactions i LEFT JOIN customers c ON c.id = i.customer_id)
                 SELECT month,
                   count(*) FILTER (WHERE age BETWEEN 55 AND 70 AND EXISTS (
                       SELECT 1 FROM survey_answers s WHERE s.interaction_id = m.id AND s.kind = 'csat')),
                   count(*) FILTER (WHERE topic = 'login' AND talk_secs IS NOT NULL),
                   count(*) FILTER (WHERE channel = 'blog_comment' AND first_response_at IS NOT NULL),
                   count(*) FILTER (WHERE topic = 'buffering' AND product = 'mobile_app' AND resolved_at IS NOT NULL),
                   count(*) FILTER (WHERE topic = 'returns' AND EXISTS (
                       SELECT 1 FROM survey_answers s WHERE s.interaction_id = m.id AND s.kind = 'ces'))
                 FROM m GROUP BY 1 ORDER BY 1",
                &[],
            )
            .unwrap();
        assert_eq!(slices.len(), 14);
        // The last month is partial (June 2025 is whole here) and the data is
        // small (20k), so a handful per month is what "present" means.
        for row in &slices {
            for v in &row[1..] {
                assert!(f(v) >= 5.0, "thin slice in {row:?}");
            }
        }

        // Pattern 2: the struggling agent.
        let concern = store
            .query_json(
                "SELECT r.agent = ?, avg(q.rating), count(*) FROM qa_reviews r JOIN qa_ratings q ON q.review_id = r.id
                 WHERE q.criterion = 'concern' GROUP BY 1 ORDER BY 1",
                &[STRUGGLING_AGENT],
            )
            .unwrap();
        let (others, him) = (f(&concern[0][1]), f(&concern[1][1]));
        assert!(him < 3.0, "{him}");
        assert!(others >= 3.3, "{others}");
        assert!(f(&concern[1][2]) >= 30.0);
        let csat = store
            .query_json(
                "SELECT i.agent = ?, avg(CASE WHEN s.score >= 4 THEN 1.0 ELSE 0.0 END)
                 FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id
                 WHERE s.kind = 'csat' AND i.agent IS NOT NULL GROUP BY 1 ORDER BY 1",
                &[STRUGGLING_AGENT],
            )
            .unwrap();
        assert!(
            f(&csat[1][1]) < f(&csat[0][1]) - 0.12,
            "CSAT him {} others {}",
            f(&csat[1][1]),
            f(&csat[0][1])
        );
        let repeats = store
            .query_json(
                "SELECT a.agent = ?, avg(CASE WHEN EXISTS (
                     SELECT 1 FROM interactions b WHERE b.customer_id = a.customer_id AND b.topic = a.topic
                       AND b.created_at > a.created_at AND b.created_at <= a.created_at + INTERVAL 7 DAY)
                   THEN 1.0 ELSE 0.0 END)
                 FROM interactions a WHERE a.agent IS NOT NULL AND a.resolved_at IS NOT NULL GROUP BY 1 ORDER BY 1",
                &[STRUGGLING_AGENT],
            )
            .unwrap();
        let (others, him) = (f(&repeats[0][1]), f(&repeats[1][1]));
        assert!(him > others * 2.0, "repeat rate him {him} others {others}");
        assert!((0.05..0.25).contains(&others), "{others}");

        // Pattern 3: e-mail on Mondays.
        let monday = store
            .query_json(
                "SELECT extract(dow FROM created_at) = 1, median(date_diff('second', created_at, first_response_at))
                 FROM interactions WHERE channel = 'email' AND first_response_at IS NOT NULL GROUP BY 1 ORDER BY 1",
                &[],
            )
            .unwrap();
        let (other_days, mondays) = (f(&monday[0][1]), f(&monday[1][1]));
        assert!(
            mondays > 2.5 * other_days,
            "monday {mondays} s, other days {other_days} s"
        );
        assert!(mondays > 8.0 * 3600.0, "{mondays}");
        assert!(other_days < 6.0 * 3600.0, "{other_days}");

        // Pattern 1: Technical improves.
        let tech = store
            .query_json(
                "SELECT
                   median(date_diff('second', created_at, first_response_at)) FILTER (WHERE created_at < TIMESTAMP '2024-07-01 00:00:00'),
                   median(date_diff('second', created_at, first_response_at)) FILTER (WHERE created_at >= TIMESTAMP '2025-05-01 00:00:00')
                 FROM interactions WHERE team = 'Technical' AND channel = 'email'",
                &[],
            )
            .unwrap();
        let (early, late) = (f(&tech[0][0]), f(&tech[0][1]));
        assert!(
            late < early * 0.75,
            "Technical FRT early {early} late {late}"
        );
        let tech_csat = store
            .query_json(
                "SELECT
                   avg(CASE WHEN s.score >= 4 THEN 1.0 ELSE 0.0 END) FILTER (WHERE i.created_at < TIMESTAMP '2024-11-01 00:00:00'),
                   avg(CASE WHEN s.score >= 4 THEN 1.0 ELSE 0.0 END) FILTER (WHERE i.created_at >= TIMESTAMP '2025-05-01 00:00:00')
                 FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id
                 WHERE s.kind = 'csat' AND i.team = 'Technical' AND i.agent IS NOT NULL",
                &[],
            )
            .unwrap();
        let (early, late) = (f(&tech_csat[0][0]), f(&tech_csat[0][1]));
        assert!(
            late > early + 0.08,
            "Technical CSAT early {early} late {late}"
        );

        // Surveys on their scales, answered after the contact.
        let bad = one(
            &store,
            "SELECT count(*) FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id
             WHERE s.score < s.scale_min OR s.score > s.scale_max OR s.answered_at < i.resolved_at
                OR (s.kind = 'csat' AND (s.scale_min <> 1 OR s.scale_max <> 5))
                OR (s.kind = 'ces' AND (s.scale_min <> 1 OR s.scale_max <> 7))
                OR (s.kind = 'nps' AND (s.scale_min <> 0 OR s.scale_max <> 10))",
        );
        assert_eq!(bad, 0.0);
        let csat_rate = one(
            &store,
            "SELECT (SELECT count(*) FROM survey_answers WHERE kind = 'csat') * 1.0
                  / (SELECT count(*) FROM interactions WHERE resolved_at IS NOT NULL)",
        );
        assert!((0.12..0.25).contains(&csat_rate), "{csat_rate}");
        // Every QA review points at one of its agent's interactions.
        let bad = one(
            &store,
            "SELECT count(*) FROM qa_reviews r LEFT JOIN interactions i ON i.id = r.interaction_id
             WHERE i.id IS NULL OR i.agent <> r.agent OR r.rubric <> 'service_quality' OR r.reviewed_at < i.created_at",
        );
        assert_eq!(bad, 0.0);
        assert_eq!(
            one(&store, "SELECT count(*) FROM qa_criteria WHERE rubric = 'service_quality' AND criterion = 'concern' AND standard = 3"),
            1.0
        );
    }

    fn fingerprint(store: &Store) -> Vec<Vec<Value>> {
        store
            .query_json(
                "SELECT (SELECT count(*) FROM interactions),
                        (SELECT bit_xor(hash(external_id, created_at, first_response_at, resolved_at, agent, topic,
                                             customer_id, status, talk_secs, queue_wait_secs)) FROM interactions),
                        (SELECT bit_xor(hash(external_id, kind, score, answered_at)) FROM survey_answers),
                        (SELECT bit_xor(hash(id, age, segment, plan, first_seen, churned_at)) FROM customers),
                        (SELECT bit_xor(hash(r.external_id, r.agent, q.criterion, q.rating))
                           FROM qa_reviews r JOIN qa_ratings q ON q.review_id = r.id)",
                &[],
            )
            .unwrap()
    }

    #[test]
    fn same_seed_same_organisation() {
        let (a, sa) = demo(11, 5_000);
        let (mut b, sb) = demo(11, 5_000);
        assert_eq!(sa, sb);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let (c, _) = demo(12, 5_000);
        assert_ne!(fingerprint(&a), fingerprint(&c));
        // Running it again replaces the earlier demo rather than adding to it.
        let again = generate(
            &mut b,
            &DemoOptions {
                seed: 11,
                interactions: 5_000,
                as_of: AS_OF,
            },
        )
        .unwrap();
        assert_eq!(again, sa);
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn tiny_and_empty_demos_work() {
        let (store, s) = demo(1, 0);
        assert_eq!(s.interactions, 0);
        assert_eq!(s.customers, 1_000);
        assert_eq!(one(&store, "SELECT count(*) FROM interactions"), 0.0);
        let (_, s) = demo(1, 37);
        assert_eq!(s.interactions, 37);
    }
}
