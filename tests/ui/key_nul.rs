fn main() {
    let _ = fixtree::tree! {
        "a\0b" => "x",
    };
}
