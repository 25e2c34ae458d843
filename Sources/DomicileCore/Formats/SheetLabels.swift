/// The words a spreadsheet shows for columns and enumeration values, in English and Japanese.
/// Import accepts them besides the keys (any case), so a sheet written with human headers, or
/// a column typed as `Medium` or `中`, reads back to the same record. A field without an entry
/// here is shown by its name (`legal_name` → "Legal name"), so new fields still flow through.
public enum SheetLabels {
    public enum Language: String, Sendable, CaseIterable {
        case en, ja
    }

    /// Japanese (and, where the derived one is poor, English) words for field names.
    static let fieldNames: [String: (en: String?, ja: String)] = [
        "key": ("Key", "キー"),
        "name": (nil, "名称"),
        "name_ja": ("Name (Japanese)", "名称（日本語）"),
        "legal_name": (nil, "ベンダー名"),
        "country": (nil, "国"),
        "address": (nil, "住所"),
        "address_ja": ("Address (Japanese)", "住所（日本語）"),
        "representative": (nil, "代表者"),
        "representative_ja": ("Representative (Japanese)", "代表者（日本語）"),
        "privacy_contact_name": ("Privacy contact", "個人情報の問合せ窓口"),
        "privacy_contact_name_ja": ("Privacy contact (Japanese)", "個人情報の問合せ窓口（日本語）"),
        "privacy_contact_email": ("Privacy contact e-mail", "問合せ窓口のメールアドレス"),
        "privacy_contact_url": ("Privacy contact URL", "問合せ窓口のURL"),
        "description": (nil, "説明"),
        "sensitive": ("Special-care", "要配慮個人情報"),
        "categories": ("Data categories", "データ項目"),
        "organization": (nil, "事業者"),
        "url": ("URL", "URL"),
        "owner": (nil, "担当者"),
        "valid_from": ("Valid from", "開始日"),
        "valid_to": ("Valid to", "終了日"),
        "aliases": (nil, "別名"),
        "kinds": (nil, "種別"),
        "headquarters": (nil, "本社所在国"),
        "contracting_country": (nil, "契約相手の所在国"),
        "website": (nil, "ウェブサイト"),
        "trust_url": ("Trust URL", "トラストセンターURL"),
        "privacy_url": ("Privacy URL", "プライバシーポリシーURL"),
        "dpa_url": ("DPA URL", "DPAのURL"),
        "subprocessors_url": ("Subprocessors URL", "再委託先一覧URL"),
        "certifications": (nil, "認証"),
        "risk_tier": (nil, "リスク区分"),
        "notes": (nil, "備考"),
        "service": (nil, "サービス"),
        "vendor": (nil, "ベンダー"),
        "role": (nil, "役割"),
        "region": (nil, "リージョン"),
        "undisclosed_reason": ("Undisclosed: reason", "非開示の理由"),
        "undisclosed_candidates": ("Undisclosed: candidate countries", "非開示の候補国"),
        "source": (nil, "根拠資料"),
        "verified_on": (nil, "確認日"),
        "asserted_by": (nil, "記録者"),
        "purposes": (nil, "利用目的"),
        "cloud_exception": (nil, "クラウド例外"),
        "cloud_exception_basis": (nil, "クラウド例外の根拠"),
        "transfer_basis": (nil, "越境移転の根拠"),
        "transfer_basis_note": (nil, "越境移転の根拠の記録"),
        "foreign_info_given": ("Foreign information given", "外国の制度等の情報提供済み"),
        "transfer_basis_expires_on": (nil, "越境移転の根拠の期限"),
        "transfer_basis_checked_on": (nil, "定期確認日"),
        "contract_reference": ("Contract: reference", "契約番号"),
        "contract_signed_on": ("Contract: signed on", "契約締結日"),
        "contract_expires_on": ("Contract: expires on", "契約満了日"),
        "contract_renewal": ("Contract: renewal", "契約更新"),
        "contract_notice_days": ("Contract: notice days", "解約予告日数"),
        "contract_dpa_signed_on": ("Contract: DPA signed on", "DPA締結日"),
        "contract_dpa_expires_on": ("Contract: DPA expires on", "DPA満了日"),
        "reentrustment": (nil, "再委託"),
        "via": (nil, "委託元ベンダー"),
        "countries": (nil, "国"),
        "work": (nil, "業務"),
        "approved_on": (nil, "承認日"),
        "recipient": (nil, "提供先"),
        "basis": (nil, "根拠"),
        "legal_exception": (nil, "法令上の例外"),
        "purpose": (nil, "目的"),
        "purpose_ja": ("Purpose (Japanese)", "目的（日本語）"),
        "recipient_country": (nil, "提供先の所在国"),
        "retention_years": (nil, "保存年数"),
        "ppc_notification_notified_on": ("PPC notification: notified on", "個人情報保護委員会への届出日"),
        "ppc_notification_items": ("PPC notification: items", "届出事項"),
        "ppc_notification_reference": ("PPC notification: reference", "届出の公表番号"),
        "tool": (nil, "ツール"),
        "information": (nil, "送信される情報"),
        "information_ja": ("Information (Japanese)", "送信される情報（日本語）"),
        "opt_out_url": ("Opt-out URL", "オプトアウトURL"),
        "template": (nil, "チェックリスト"),
        "assessed_on": (nil, "評価日"),
        "assessor": (nil, "評価者"),
        "next_review_on": (nil, "次回見直し日"),
        "item": (nil, "項目"),
        "status": (nil, "状況"),
        "evidence": (nil, "証跡"),
        "note": (nil, "メモ"),
        "public_statement": (nil, "公表文"),
        "public_statement_ja": ("Public statement (Japanese)", "公表文（日本語）"),
        "email": ("E-mail", "メールアドレス"),
        "provided_on": (nil, "提供日"),
        "data_subjects": (nil, "本人"),
        "items": (nil, "項目"),
        "consent_reference": (nil, "同意の記録"),
        "retain_until": (nil, "保存期限"),
        "method": (nil, "作成方法"),
        "last_provided_on": (nil, "最終提供日"),
        "entrustment": (nil, "委託"),
        "provision": (nil, "第三者提供"),
        "assessment": (nil, "評価"),
        "requirement": (nil, "要求事項"),
        "requirement_ja": ("Requirement (Japanese)", "要求事項（日本語）"),
    ]

    /// The header a sheet shows for `column`.
    public static func column(_ column: String, _ language: Language) -> String {
        let entry = fieldNames[column]
        switch language {
        case .ja: return entry?.ja ?? derived(column)
        case .en: return entry?.en ?? derived(column)
        }
    }

    /// `legal_name` → "Legal name".
    static func derived(_ name: String) -> String {
        let words = name.split(separator: "_").map(String.init)
        guard let first = words.first else { return name }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
    }

    /// Labels of enumeration values (English, Japanese).
    static let values: [String: (en: String, ja: String)] = [
        // risk tiers
        "low": ("Low", "低"), "medium": ("Medium", "中"), "high": ("High", "高"), "critical": ("Critical", "重大"),
        // residency roles
        "storage": ("Storage", "保管"), "processing": ("Processing", "処理"), "backup": ("Backup", "バックアップ"),
        "remote_access": ("Remote access", "リモートアクセス"),
        // vendor kinds
        "cloud_provider": ("Cloud provider", "クラウド事業者"), "entrustee": ("Entrustee", "委託先"),
        "third_party_recipient": ("Third-party recipient", "第三者提供先"),
        "transmission_recipient": ("Transmission recipient", "外部送信先"),
        // renewals, re-entrustment, unknown
        "automatic": ("Automatic", "自動更新"), "manual": ("Manual", "都度更新"), "none": ("None", "更新なし"),
        "unknown": ("Unknown", "不明"), "prohibited": ("Prohibited", "禁止"), "prior_approval": ("Prior approval", "事前承認"),
        "prior_notice": ("Prior notice", "事前通知"), "allowed": ("Allowed", "許可"),
        // bases
        "consent": ("Consent", "同意"), "standard_conforming": ("Standard-conforming", "基準適合体制"), "cbpr": ("CBPR", "CBPR認証"),
        "legal_exception": ("Legal exception", "法令に基づく例外"), "opt_out": ("Opt-out", "オプトアウト"),
        "joint_use": ("Joint use", "共同利用"), "notice": ("Notice", "通知・公表"), "necessary": ("Necessary", "必要不可欠"),
        // answers
        "met": ("Met", "実施済み"), "partial": ("Partial", "一部実施"), "unmet": ("Unmet", "未実施"),
        "not_applicable": ("Not applicable", "対象外"),
        // provision records
        "each": ("Each", "都度"), "batch": ("Batch", "一括"), "contract": ("Contract", "契約"),
    ]

    /// The label of enumeration `value`.
    public static func value(_ value: String, _ language: Language) -> String {
        guard let entry = values[value] else { return value }
        return language == .ja ? entry.ja : entry.en
    }

    /// The value among `allowed` that `text` names: the value in any case (`Medium`, `MEDIUM`),
    /// with spaces or hyphens for `_` (`Remote access`), or its English or Japanese label (`中`).
    /// `nil` when it names none (validation then reports it with what is allowed).
    public static func enumeration(_ text: String, allowed: [String]) -> String? {
        if allowed.contains(text) { return text }
        let folded = fold(text)
        for value in allowed {
            if fold(value) == folded { return value }
            if let entry = values[value], fold(entry.en) == folded || entry.ja == text.trimmingCharacters(in: .whitespaces) { return value }
        }
        return nil
    }

    static func fold(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// The column `header` names among `columns`: the column itself (any case), or its English
    /// or Japanese header.
    public static func columnNamed(_ header: String, in columns: [String]) -> String? {
        if columns.contains(header) { return header }
        let folded = fold(header)
        return columns.first { column in
            fold(column) == folded || fold(self.column(column, .en)) == folded || self.column(column, .ja) == header
        }
    }
}
