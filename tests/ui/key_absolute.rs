fn main() {
    let _ = fixtree::tree! {
        "ok.txt" => "x",
        "/etc/passwd" => "x",
    };
}
