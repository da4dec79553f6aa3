fn main() {
    let _ = fixtree::tree! {
        "log.txt" => contains("done"),
    };
}
