//! Erlang C: how a queue answered by N agents performs when calls arrive at
//! random (Poisson) and take an exponentially distributed handle time, and
//! every caller waits until answered (no one hangs up, no one is blocked).
//!
//! With A the offered traffic in Erlangs (arrivals per second × mean handle
//! time) and N agents, N > A:
//! - Erlang B by its recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)),
//!   which never forms a power or a factorial, so it stays exact to a few
//!   ulps for thousands of agents where Aᴺ/N! would overflow.
//! - the probability that a call waits, C = N·B / (N − A·(1 − B));
//! - the service level, P(wait ≤ T) = 1 − C·e^(−(N − A)·T / AHT);
//! - the average speed of answer over all calls, ASA = C·AHT / (N − A);
//! - the occupancy, A / N.
//!
//! With N ≤ A the queue grows without end: there is no steady state and no
//! figure, which [`Queue::perform`] says with `None`.

use serde::Serialize;

use super::inputs::{Arrivals, Secs};

/// A queue's load: its traffic and the handle time it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Queue {
    /// Offered traffic in Erlangs: the agents busy on average.
    traffic: f64,
    aht_secs: f64,
}

/// How a queue performs with a number of agents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Performance {
    pub agents: u32,
    /// The probability that a call waits at all (Erlang C).
    pub wait_probability: f64,
    /// The share of calls answered within the objective's time.
    pub service_level: f64,
    /// The mean wait over all calls, seconds.
    pub asa_secs: f64,
    /// The share of the agents' time spent on calls.
    pub occupancy: f64,
}

/// Erlang B for agent counts 1, 2, 3… in turn, each from the one before.
#[derive(Debug, Clone, Copy)]
pub struct Ladder {
    traffic: f64,
    agents: u32,
    blocking: f64,
}

impl Ladder {
    pub fn new(traffic: f64) -> Ladder {
        Ladder {
            traffic,
            agents: 0,
            blocking: 1.0,
        }
    }

    /// The next agent count and its Erlang B.
    pub fn step(&mut self) -> (u32, f64) {
        self.agents += 1;
        let ab = self.traffic * self.blocking;
        self.blocking = ab / (f64::from(self.agents) + ab);
        (self.agents, self.blocking)
    }
}

/// Erlang B: the share of calls lost when `agents` answer `traffic` Erlangs
/// with no queue.
pub fn erlang_b(agents: u32, traffic: f64) -> f64 {
    let mut ladder = Ladder::new(traffic);
    let mut b = 1.0;
    for _ in 0..agents {
        b = ladder.step().1;
    }
    b
}

/// Erlang C from Erlang B at the same count; `None` when `agents` ≤ `traffic`.
fn erlang_c_from_b(agents: u32, traffic: f64, b: f64) -> Option<f64> {
    let n = f64::from(agents);
    (n > traffic).then(|| (n * b / (n - traffic * (1.0 - b))).clamp(0.0, 1.0))
}

/// Erlang C: the probability that a call waits; `None` when the agents
/// cannot keep up (`agents` ≤ `traffic`).
pub fn erlang_c(agents: u32, traffic: f64) -> Option<f64> {
    erlang_c_from_b(agents, traffic, erlang_b(agents, traffic))
}

impl Queue {
    /// `arrivals` calls every `interval`, each taking `aht` on average.
    pub fn new(arrivals: Arrivals, interval: Secs, aht: Secs) -> Queue {
        Queue {
            traffic: arrivals.get() / interval.get() * aht.get(),
            aht_secs: aht.get(),
        }
    }

    /// Offered traffic, Erlangs.
    pub fn traffic(&self) -> f64 {
        self.traffic
    }

    pub fn aht_secs(&self) -> f64 {
        self.aht_secs
    }

    /// The fewest agents with a steady state: the whole number above the
    /// traffic.
    pub fn min_stable_agents(&self) -> u32 {
        // Traffic is finite and above 0; a queue of over 4 billion agents
        // is beyond any call centre.
        (self.traffic.floor() + 1.0).min(f64::from(u32::MAX)) as u32
    }

    /// Performance with `agents` answering, the service level measured
    /// against `within_secs`; `None` when `agents` ≤ traffic.
    pub fn perform(&self, agents: u32, within_secs: f64) -> Option<Performance> {
        let b = erlang_b(agents, self.traffic);
        self.perform_with_b(agents, b, within_secs)
    }

    /// The same, with Erlang B already known (a [`Ladder`] walking up).
    pub fn perform_with_b(&self, agents: u32, b: f64, within_secs: f64) -> Option<Performance> {
        let c = erlang_c_from_b(agents, self.traffic, b)?;
        let spare = f64::from(agents) - self.traffic;
        Some(Performance {
            agents,
            wait_probability: c,
            service_level: (1.0 - c * (-spare * within_secs / self.aht_secs).exp()).clamp(0.0, 1.0),
            asa_secs: c * self.aht_secs / spare,
            occupancy: self.traffic / f64::from(agents),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(calls: f64, interval_secs: f64, aht_secs: f64) -> Queue {
        Queue::new(
            Arrivals::new(calls).unwrap(),
            Secs::new(interval_secs).unwrap(),
            Secs::new(aht_secs).unwrap(),
        )
    }

    fn near(got: f64, want: f64, tolerance: f64) -> bool {
        (got - want).abs() <= tolerance
    }

    /// Published figures for given agent counts.
    #[test]
    fn erlang_c_matches_published_figures() {
        // (calls, per secs, AHT secs, T secs, agents) →
        // (wait probability, service level, ASA secs, occupancy), with the
        // digits the source gives.
        #[expect(clippy::type_complexity, reason = "a table of cases reads best inline")]
        let table: &[(&str, (f64, f64, f64, f64, u32), (f64, f64, f64, f64), f64)] = &[
            // Call Centre Helper, "Erlang C Formula – Made Simple With an
            // Easy Worked Example" (callcentrehelper.com/erlang-c-formula-
            // example-121281.htm), and the R package ErlangC 0.1.0's README
            // (rdocumentation.org/packages/ErlangC/versions/0.1.0), which
            // prints its figures to 7 digits: 100 calls in 30 min, AHT 180 s,
            // 80/20, 14 agents.
            (
                "Call Centre Helper / ErlangC, 14 agents",
                (100.0, 1800.0, 180.0, 20.0, 14),
                (0.1741319, 0.88835, 7.83593701177724, 0.7142857),
                1e-5,
            ),
            // The same README's search trace: 11 agents wait 0.6821182.
            (
                "ErlangC README, 11 agents",
                (100.0, 1800.0, 180.0, 20.0, 11),
                (0.6821182, f64::NAN, f64::NAN, 10.0 / 11.0),
                1e-6,
            ),
            // pyworkforce's tests (github.com/rodrigo-arenas/pyworkforce,
            // pyworkforce/queuing/tests/test_erlang.py,
            // test_over_occupancy_erlangc), to 3 digits: the same queue with
            // 15 agents.
            (
                "pyworkforce, 15 agents",
                (100.0, 1800.0, 180.0, 20.0, 15),
                (0.102, 0.941, f64::NAN, 0.667),
                5e-4,
            ),
        ];
        for (name, (calls, per, aht, t, agents), (c, sl, asa, occ), tol) in table {
            let q = queue(*calls, *per, *aht);
            let p = q
                .perform(*agents, *t)
                .unwrap_or_else(|| panic!("{name}: unstable"));
            assert!(near(p.wait_probability, *c, *tol), "{name}: C {p:?}");
            if !sl.is_nan() {
                assert!(near(p.service_level, *sl, *tol), "{name}: SL {p:?}");
            }
            if !asa.is_nan() {
                assert!(near(p.asa_secs, *asa, 1e-6), "{name}: ASA {p:?}");
            }
            assert!(near(p.occupancy, *occ, *tol), "{name}: occupancy {p:?}");
        }
    }

    #[test]
    fn erlang_b_recursion_matches_the_closed_form_where_both_work() {
        // B(N, A) = (Aᴺ/N!) / Σ_{k≤N} Aᵏ/k!, computed naively for small N.
        for (n, a) in [(1_u32, 0.5), (5, 2.5), (10, 7.0), (20, 15.3), (30, 29.9)] {
            let mut term = 1.0;
            let mut sum = 1.0;
            for k in 1..=n {
                term *= a / f64::from(k);
                sum += term;
            }
            let closed = term / sum;
            assert!(
                near(erlang_b(n, a), closed, 1e-12),
                "B({n}, {a}) = {} vs {closed}",
                erlang_b(n, a)
            );
        }
        // Erlang B of one server is A / (1 + A); Erlang C of one is A.
        assert!(near(erlang_b(1, 3.0), 0.75, 1e-15));
        assert!(near(erlang_c(1, 0.4).unwrap(), 0.4, 1e-15));
    }

    #[test]
    fn hundreds_and_thousands_of_agents_stay_finite() {
        // Aᴺ/N! overflows f64 from about N = 170; the recursion does not.
        for (traffic, agents) in [(480.0, 500_u32), (950.0, 1000), (4_900.0, 5_000)] {
            let c = erlang_c(agents, traffic).unwrap();
            assert!(c.is_finite() && (0.0..=1.0).contains(&c), "{agents}: {c}");
            let q = Queue {
                traffic,
                aht_secs: 300.0,
            };
            let p = q.perform(agents, 20.0).unwrap();
            assert!(p.service_level.is_finite() && p.asa_secs.is_finite());
        }
        // Far more agents than traffic: nobody waits.
        assert!(erlang_c(1_000, 10.0).unwrap() < 1e-100);
    }

    #[test]
    fn no_steady_state_without_more_agents_than_traffic() {
        let q = queue(100.0, 1800.0, 180.0); // 10 Erlangs
        assert!(q.perform(10, 20.0).is_none());
        assert!(q.perform(9, 20.0).is_none());
        assert!(erlang_c(10, 10.0).is_none());
        assert_eq!(q.min_stable_agents(), 11);
        assert_eq!(queue(95.0, 1800.0, 180.0).min_stable_agents(), 10);
    }

    #[test]
    fn the_ladder_agrees_with_one_shot_erlang_b() {
        let mut ladder = Ladder::new(12.5);
        for _ in 0..40 {
            let (n, b) = ladder.step();
            assert!(near(b, erlang_b(n, 12.5), 1e-15), "{n}");
        }
    }
}
