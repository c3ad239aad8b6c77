//! Fuzz target: [`skyshield_fuzz::summary`].

fn main() {
    afl::fuzz!(|data: &[u8]| skyshield_fuzz::summary(data));
}
