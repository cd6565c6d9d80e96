//! The starter library: competencies a customer-facing role needs (seed
//! 003: customer orientation, empathy, emotional intelligence,
//! communication…), each with a definition, five behaviourally anchored
//! levels and suggested interview questions. A profile file may name one by
//! key alone (`key = "empathy"`, `required = 3`) and the text comes from
//! here. This is the English text; the pages show it in the reader's
//! language from the `profiles` catalogue (`profiles-lib-<key>-…`) while a
//! profile keeps it unchanged.
//!
//! The anchors follow one pattern so that levels mean the same across
//! competencies: 1 not shown, 2 shown with help or sometimes, 3 shown
//! reliably on one's own (what a new agent needs), 4 shown in hard cases,
//! 5 a model and teacher for others.

/// A competency of the starter library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LibraryCompetency {
    pub key: &'static str,
    pub label: &'static str,
    pub definition: &'static str,
    pub levels: [&'static str; 5],
    pub behavioural: &'static [&'static str],
    pub situational: &'static [&'static str],
    /// The QA criterion of the example rubric that sees the behaviour in
    /// live interactions (examples/qa/service_quality.toml).
    pub qa_criterion: Option<&'static str>,
}

impl LibraryCompetency {
    /// The questions, behavioural first.
    pub fn questions(&self) -> impl Iterator<Item = &'static str> {
        self.behavioural
            .iter()
            .chain(self.situational.iter())
            .copied()
    }
}

/// The competency of the library with this key.
pub fn find(key: &str) -> Option<&'static LibraryCompetency> {
    LIBRARY.iter().find(|c| c.key == key)
}

pub const LIBRARY: &[LibraryCompetency] = &[
    LibraryCompetency {
        key: "customer_orientation",
        label: "Customer orientation",
        definition: "Puts the customer's real need first and takes responsibility for getting it met, not only for answering the question asked.",
        levels: [
            "Answers only the literal question; passes the customer on without checking the need is met.",
            "Looks for the customer's need when prompted; follows up sometimes.",
            "Finds out what the customer actually needs and sees it through to a resolution on their own.",
            "Anticipates needs the customer has not mentioned and prevents repeat contacts, even under pressure.",
            "Changes how the team works from what customers need; others copy how they do it.",
        ],
        behavioural: &["Tell me about a time you did more than the customer asked. What was the situation, what did you do, and what was the result?"],
        situational: &["A customer asks only for a refund, but you see the product was set up wrongly. What do you do?"],
        qa_criterion: Some("resolution"),
    },
    LibraryCompetency {
        key: "empathy",
        label: "Empathy",
        definition: "Recognises how the customer feels and shows it in words and actions, so that the customer feels understood.",
        levels: [
            "Does not notice or acknowledge the customer's feelings.",
            "Acknowledges feelings with set phrases; misses them when busy.",
            "Names the customer's situation and feeling in their own words and adapts to it.",
            "Stays understanding with angry or distressed customers and turns the conversation round.",
            "Reads unspoken concerns accurately and teaches others to do so.",
        ],
        behavioural: &["Tell me about a customer who was upset. How did you find out what they felt, what did you say, and how did it end?"],
        situational: &["A customer writes that this is the third time they explain the same problem. How do you answer?"],
        qa_criterion: Some("concern"),
    },
    LibraryCompetency {
        key: "emotional_intelligence",
        label: "Emotional intelligence",
        definition: "Knows and manages their own emotions and reads those of others, and uses both to handle conversations well.",
        levels: [
            "Reacts to provocation; their mood shows in their work.",
            "Notices their own reactions afterwards; sometimes manages them in the moment.",
            "Stays calm and professional in difficult conversations and reads the other person's mood correctly.",
            "Uses what they read to steer tense conversations and recovers quickly after them.",
            "Calms tense situations for others and helps colleagues manage their reactions.",
        ],
        behavioural: &["Describe a conversation in which you felt yourself getting irritated. What did you notice, what did you do, and what happened?"],
        situational: &["A customer insults you personally in a chat. What do you do in the next minute?"],
        qa_criterion: None,
    },
    LibraryCompetency {
        key: "communication",
        label: "Communication",
        definition: "Explains clearly, in plain and courteous language suited to the customer and the channel, and checks they were understood.",
        levels: [
            "Unclear or uses jargon; the customer has to ask again.",
            "Clear on simple matters; long or technical ones confuse.",
            "Clear, courteous and complete in speech and writing; checks the customer understood.",
            "Explains complex or unwelcome answers so that customers accept them.",
            "Writes the templates and explanations others use.",
        ],
        behavioural: &["Tell me about a time you had to explain something complicated to someone without the background. How did you check they understood?"],
        situational: &["Explain to me, as if I were a customer, why my order will arrive a week late."],
        qa_criterion: Some("tone"),
    },
    LibraryCompetency {
        key: "problem_solving",
        label: "Problem solving",
        definition: "Finds the cause of a customer's problem and a solution that works, using the facts at hand and asking when they are missing.",
        levels: [
            "Applies the first answer at hand whether or not it fits.",
            "Solves common problems with a script; stops at unusual ones.",
            "Asks the right questions, finds the cause and solves most problems on first contact.",
            "Solves unusual problems and knows when and to whom to escalate with everything needed.",
            "Spots patterns across cases and gets their causes removed.",
        ],
        behavioural: &["Tell me about a problem you solved that others had not. How did you find the cause?"],
        situational: &["A customer's payment failed twice and the system shows no error. What do you check, in which order?"],
        qa_criterion: Some("accuracy"),
    },
    LibraryCompetency {
        key: "resilience",
        label: "Resilience",
        definition: "Keeps quality and composure through volume, pressure and setbacks, and recovers after difficult contacts.",
        levels: [
            "Quality drops or work stops after a setback or at peak volume.",
            "Copes with normal days; struggles after difficult contacts.",
            "Keeps quality steady through busy periods and difficult contacts.",
            "Stays steady through long peaks and changes, and learns from setbacks.",
            "Keeps the team steady under pressure.",
        ],
        behavioural: &["Tell me about your hardest working week. What made it hard, what did you do, and what did you learn?"],
        situational: &["The queue is twice its usual length and your last call ended badly. What do you do before the next one?"],
        qa_criterion: None,
    },
    LibraryCompetency {
        key: "product_knowledge",
        label: "Product knowledge",
        definition: "Knows the products, services and policies well enough to give correct and complete answers, and knows where to look for the rest.",
        levels: [
            "Gives wrong or incomplete information.",
            "Knows the common cases; looks up most others slowly.",
            "Answers correctly and completely, and finds what they do not know quickly.",
            "Knows the exceptions and how products interact; colleagues ask them.",
            "Keeps the knowledge base right and trains others.",
        ],
        behavioural: &["Tell me about a time you had to learn a product or service quickly. How did you do it?"],
        situational: &["A customer asks about a feature you have never heard of. What do you say and do?"],
        qa_criterion: Some("accuracy"),
    },
    LibraryCompetency {
        key: "coaching_others",
        label: "Coaching others",
        definition: "Helps others improve by observing their work, giving specific feedback with examples and following progress.",
        levels: [
            "Gives no feedback, or only general praise or blame.",
            "Gives feedback when asked, without examples.",
            "Gives specific feedback with examples and agrees one next step.",
            "Plans coaching from evidence and follows progress session by session.",
            "Develops other coaches; the team improves measurably.",
        ],
        behavioural: &["Tell me about someone whose work you helped improve. What did you observe, what did you say, and what changed?"],
        situational: &["An agent's customers keep saying they were not listened to. How do you prepare your next session with them?"],
        qa_criterion: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_names_the_seed_competencies_once_each() {
        for key in [
            "customer_orientation",
            "empathy",
            "emotional_intelligence",
            "communication",
        ] {
            assert!(find(key).is_some(), "{key}");
        }
        for (i, c) in LIBRARY.iter().enumerate() {
            assert!(LIBRARY[..i].iter().all(|o| o.key != c.key), "{}", c.key);
            assert!(c.levels.iter().all(|l| !l.is_empty()));
            assert!(!c.behavioural.is_empty() && !c.situational.is_empty());
        }
    }
}
