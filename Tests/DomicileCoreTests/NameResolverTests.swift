import DomicileCore
import Testing

/// `NameResolver`: the one rule by which every command turns what a person typed into a key.
@Suite("Name resolver")
struct NameResolverTests {
    static let categories = NameResolver(
        noun: "data category", code: "category", listCommand: "domicile category list",
        candidates: [
            NamedKey(key: "user", label: "User data", names: ["利用者に関する情報"]),
            NamedKey(key: "user.contact", label: "Contact information", names: ["連絡先"]),
            NamedKey(key: "user.contact.email", label: "Email address", names: ["メールアドレス"]),
            NamedKey(key: "user.contact.phone_number", label: "Telephone number", names: ["電話番号"]),
            NamedKey(key: "user.content", label: "User-provided content", names: ["利用者が提供した内容"]),
            NamedKey(key: "employee.contact.email", label: "Employee email address", names: ["従業者のメールアドレス"]),
        ])

    static let vendors = NameResolver(
        noun: "vendor", forms: "key, legal name or alias",
        candidates: [
            NamedKey(key: "aws", label: "Amazon Web Services, Inc.", names: ["アマゾン ウェブ サービス", "AWS"]),
            NamedKey(key: "sakura", label: "SAKURA internet Inc.", names: ["さくらインターネット株式会社"]),
            NamedKey(key: "tsubame", label: "Tsubame K.K.", names: []),
            NamedKey(key: "tsubame-support", label: "Tsubame Support Services K.K.", names: []),
        ])

    @Test("A key, a key in another case or width, an English or Japanese name, an alias and an unambiguous prefix resolve", arguments: [
        ("user.contact.email", "user.contact.email"),
        ("USER.Contact.EMAIL", "user.contact.email"),
        ("Email address", "user.contact.email"),
        ("email  ADDRESS", "user.contact.email"),
        ("メールアドレス", "user.contact.email"),
        ("電話", "user.contact.phone_number"),
        ("Telephone", "user.contact.phone_number"),
        ("phone_number", "user.contact.phone_number"),
        ("user.contact.ph", "user.contact.phone_number"),
        ("user.conta", "user.contact"),
        ("連絡先", "user.contact"),
    ])
    func categoriesResolve(text: String, key: String) throws {
        #expect(try Self.categories.resolve(text, field: "category") == key)
    }

    @Test("Vendors resolve by legal name, Japanese name, alias (full-width too) and prefix", arguments: [
        ("Amazon", "aws"),
        ("ＡＷＳ", "aws"),
        ("アマゾン", "aws"),
        ("さくら", "sakura"),
        ("sakura internet inc.", "sakura"),
        ("Tsubame Support", "tsubame-support"),
        ("tsubame", "tsubame"),
    ])
    func vendorsResolve(text: String, key: String) throws {
        #expect(try Self.vendors.resolve(text, field: "vendor") == key)
    }

    @Test("A name several records answer to is ambiguous and lists them all")
    func ambiguousListsTheCandidates() {
        let email = #expect(throws: InputError.self) { try Self.categories.resolve("email", field: "category") }
        #expect(email?.issues.first?.code == "input.ambiguous_category")
        #expect(email?.issues.first?.message == "category 'email' is ambiguous: it matches employee.contact.email (Employee email address), user.contact.email (Email address); use the key")

        let prefix = #expect(throws: InputError.self) { try Self.vendors.resolve("tsubam", field: "vendor") }
        #expect(prefix?.issues.first?.message.contains("tsubame (Tsubame K.K.), tsubame-support (Tsubame Support Services K.K.)") == true)
        // user.con is the start of user.contact and of user.content: two branches
        #expect(throws: InputError.self) { try Self.categories.resolve("user.con", field: "category") }
    }

    @Test("An unknown name suggests the nearest key, else the records whose names contain it")
    func unknownSuggests() {
        func message(_ resolver: NameResolver, _ text: String) -> String? {
            #expect(throws: InputError.self) { try resolver.resolve(text, field: "vendor") }?.issues.first?.message
        }
        #expect(message(Self.vendors, "awz") == "vendor 'awz' is not a known vendor key, legal name or alias; did you mean aws?")
        #expect(message(Self.vendors, "web services") == "vendor 'web services' is not a known vendor key, legal name or alias; did you mean aws (Amazon Web Services, Inc.)?")
        #expect(message(Self.vendors, "zz") == "vendor 'zz' is not a known vendor key, legal name or alias")
        #expect(message(Self.categories, "user.emial")?.hasSuffix("did you mean employee.contact.email or user.contact.email?") == true)
        #expect(message(NameResolver(noun: "vendor", candidates: []), "aws")?.hasSuffix("; there are none yet") == true)
        #expect(Self.vendors.match("") == .unknown([]))
    }
}
