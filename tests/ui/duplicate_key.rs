fn main() {
    let _ = fixtree::tree! {
        "a.txt" => "first",
        "a.txt" => "second",
    };
    let _ = fixtree::tree! {
        "src" => { "lib.rs" => "first" },
        "src/lib.rs" => "second",
    };
}
