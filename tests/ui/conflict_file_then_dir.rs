fn main() {
    let _ = fixtree::tree! {
        "a" => "a file",
        "a/b.txt" => "inside a",
    };
    let _ = fixtree::tree! {
        "a" => "a file",
        "a" => {},
    };
}
