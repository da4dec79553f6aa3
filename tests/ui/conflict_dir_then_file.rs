fn main() {
    let _ = fixtree::tree! {
        "a/b.txt" => "inside a",
        "a" => "a file",
    };
    let _ = fixtree::tree! {
        "a" => {},
        "a" => "a file",
    };
}
