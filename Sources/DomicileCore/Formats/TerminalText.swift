/// Text shown on a terminal: a control character that reached it (old data, a message
/// quoting bad input) is shown escaped (`\u{1B}`) rather than sent to the terminal, which
/// would act on it (clear the screen, move the cursor, ring the bell).
public enum TerminalText {
    /// Whether `scalar` is a control character (Unicode category Cc: C0, DEL, C1).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `text` with every control character written as `\u{XX}`; line feeds kept when
    /// `keepingNewlines` (for messages of several lines), tabs always kept.
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && $0 != "\t" && !(keepingNewlines && $0 == "\n") }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar), scalar != "\t", !(keepingNewlines && scalar == "\n") {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

extension Validator {
    /// Text fields hold no control characters: a tab, line feed or carriage return only in a
    /// field of several lines (descriptions, notes: `EntitySchema.longText`).
    static func controlCharacterIssue(_ text: String, name: String, multiLine: Bool) -> Issue? {
        guard let bad = text.unicodeScalars.first(where: { TerminalText.isControl($0) && !(multiLine && ($0 == "\t" || $0 == "\n" || $0 == "\r")) }) else {
            return nil
        }
        let code = "U+" + String(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4))
        let allowed = multiLine ? "only tabs and line breaks are allowed in it" : "it is a single line: no tabs, line breaks or other control characters"
        return Issue(
            code: "input.invalid_character", field: name, value: TerminalText.escaped(String(text.prefix(40))),
            message: "\(name) '\(TerminalText.escaped(String(text.prefix(40))))' contains the control character \(code); \(allowed)")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
