//! Prints probe/capabilities.json: `cargo run -p pwtck-probe --example capabilities > probe/capabilities.json`
fn main() {
    print!("{}", probe::calls::capabilities_json());
}
