extension String {
    /// The string without leading and trailing whitespace (Foundation-free).
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
