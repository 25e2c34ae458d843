import Foundation

/// The text of a CSV file as a spreadsheet saved it: UTF-8 with or without a byte-order mark,
/// or Shift_JIS as Excel on Japanese Windows writes it (code page 932, with its NEC and IBM
/// extensions: Foundation's `.shiftJIS` decodes it so on Linux too, as `SheetTextTests` checks).
public enum SheetText {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case shiftJIS = "shift_jis"

        /// `utf-8`, `utf8`, `shift_jis`, `sjis`, `cp932`, `windows-31j`, in any case.
        public init?(name: String) {
            switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
            case "utf_8", "utf8": self = .utf8
            case "shift_jis", "shiftjis", "sjis", "cp932", "ms932", "windows_31j": self = .shiftJIS
            default: return nil
            }
        }
    }

    /// Decodes `data`: as `encoding` when given; else UTF-8 when it is valid UTF-8, else
    /// Shift_JIS when it decodes as that; else the UTF-8 error, naming the first invalid byte.
    public static func decode(_ data: [UInt8], file: String, encoding: Encoding? = nil) throws(InputError) -> String {
        switch encoding {
        case .utf8?:
            return try RegistryText.decode(data, file: file)
        case .shiftJIS?:
            guard let text = shiftJIS(data) else {
                throw InputError(Issue(code: "input.invalid_encoding", field: "encoding", value: "shift_jis", message: "\(file) is not valid Shift_JIS (code page 932); check --encoding (utf-8 or shift_jis)", location: file))
            }
            return text
        case nil:
            if let text = try? RegistryText.decode(data, file: file) { return text }
            if let text = shiftJIS(data) { return text }
            return try RegistryText.decode(data, file: file)
        }
    }

    static func shiftJIS(_ data: [UInt8]) -> String? {
        guard var text = String(data: Data(data), encoding: .shiftJIS) else { return nil }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }
}
