fn main() {
    let _ = fixtree::tree! {
        "a//b.txt" => "x",
    };
    let _ = fixtree::tree! {
        "dir/" => {},
    };
}
