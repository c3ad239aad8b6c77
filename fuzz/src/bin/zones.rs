//! Fuzz target: [`skyshield_fuzz::zones`].

fn main() {
    afl::fuzz!(|data: &[u8]| skyshield_fuzz::zones(data));
}
