import DomicileCore
import Foundation

/// The check rules and registry values as the console names them in both languages. The
/// English titles and the legal basis are the rules' own (`CheckRule`, as `domicile check`
/// and docs/checks.md give them); the Japanese titles are the console's.
enum ConsoleRules {
    static func severity(_ severity: Severity, _ language: ConsoleLanguage) -> String {
        switch severity {
        case .error: return Bilingual("error", "エラー")(language)
        case .warning: return Bilingual("warning", "警告")(language)
        }
    }

    /// The rule's title in `language` (English: the rule's own).
    static func title(_ rule: CheckRule, _ language: ConsoleLanguage) -> String {
        language == .ja ? (japaneseTitles[rule.id] ?? rule.title) : rule.title
    }

    static let japaneseTitles: [String: String] = [
        "contract.missing": "契約のない委託",
        "contract.expired": "委託契約の期間が終了",
        "contract.expiring": "委託契約の終了が近い",
        "contract.renewal_unrecorded": "自動更新された契約の終了日が古いまま",
        "dpa.missing": "データ処理契約（DPA）のない委託先",
        "dpa.expired": "データ処理契約（DPA）の期間が終了",
        "review.overdue": "評価の見直し期限を超過",
        "review.due_soon": "評価の見直し期限が 30 日以内",
        "checklist.mandatory_unmet": "必須のチェック項目が未充足",
        "checklist.mandatory_unanswered": "必須のチェック項目が未回答",
        "entrustee.never_assessed": "一度も評価されていない委託先",
        "transfer.no_basis": "個人情報保護委員会が認めていない外国の提供先で、根拠の記録がない",
        "transfer.consent_uninformed": "法 28 条 2 項の情報提供なしに同意で外国に提供",
        "transfer.basis_lapsed": "基準適合体制の根拠となる契約・規程が終了",
        "transfer.basis_check_overdue": "基準適合体制の提供先を 1 年以内に確認していない",
        "environment.no_regime_facts": "外的環境の国に公表できる制度情報がない",
        "residency.undisclosed_no_reason": "非開示の保存場所に理由がない",
        "residency.undisclosed_no_candidates": "非開示の保存場所に候補国がない",
        "residency.verification_stale": "保存場所を 1 年以上確認していない",
        "transmission.incomplete": "外部送信の送信先・情報・目的が不足",
        "transmission.no_japanese": "外部送信に日本語の記載がない",
        "sub_entrustee.not_in_registry": "台帳にない再委託先",
        "sub_entrustee.no_country": "国の記録がない再委託先",
        "sub_entrustee.not_permitted": "契約で再委託が禁止されているのに再委託先がある",
        "sub_entrustee.not_approved": "事前承認が必要な再委託先に承認日がない",
        "entrustment.reentrustment_terms_unknown": "再委託の条件が記録されていない委託",
        "vendor.ended_in_use": "取引終了した委託先がデータを保有・受領している",
        "vendor.shared_alias": "二つの委託先が同じ名前を使っている",
        "organization.never_assessed": "安全管理措置の評価がない組織",
        "provision.opt_out_sensitive": "要配慮個人情報をオプトアウトで提供",
        "provision.opt_out_unnotified": "オプトアウト提供の個人情報保護委員会への届出がない",
        "provision.records_missing": "提供の記録がない第三者提供",
        "provision.record_retention_short": "提供の記録の保存期間が不足",
        "sub_entrustee.outside_entrustment": "委託の期間外の再委託先",
        "disclosure.no_japanese": "日本語の公表文書に載る値に日本語がない",
        "policy.country_not_named": "プライバシーポリシーに記載のない台帳上の国",
        "policy.undisclosed_not_mentioned": "非開示の保存国についてプライバシーポリシーに記載がない",
        "policy.recipient_not_named": "プライバシーポリシーに記載のない提供先",
        "policy.transmission_not_named": "プライバシーポリシーに記載のない外部送信",
        "policy.country_not_in_registry": "プライバシーポリシーに記載があるが台帳にない国",
    ]

    /// A regime value as recorded (`yes`, `not_asserted`, …) in words; "not asserted" is a
    /// value of its own (no source says), never "no".
    static func regimeValue(_ value: String, _ language: ConsoleLanguage) -> String {
        (regimeValues[value] ?? Bilingual(value, value))(language)
    }

    static let regimeValues: [String: Bilingual] = [
        "yes": Bilingual("yes", "はい"),
        "no": Bilingual("no", "いいえ"),
        "partial": Bilingual("partial", "一部"),
        "home": Bilingual("home country", "本国"),
        "uncertain": Bilingual("uncertain", "不確実"),
        "not_applicable": Bilingual("not applicable", "該当なし"),
        "not_asserted": Bilingual("not asserted", "記録なし"),
        "not_recorded": Bilingual("not recorded", "記録なし"),
        "none": Bilingual("none", "なし"),
        "sectoral": Bilingual("sectoral", "分野別"),
        "broad": Bilingual("broad", "広範"),
        "verified": Bilingual("verified", "確認済み"),
        "reported": Bilingual("reported", "報告ベース"),
        "general": Bilingual("general knowledge", "一般的な知識"),
    ]
}
