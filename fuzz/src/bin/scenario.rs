//! Fuzz target: [`skyshield_fuzz::scenario`].

fn main() {
    afl::fuzz!(|data: &[u8]| skyshield_fuzz::scenario(data));
}
