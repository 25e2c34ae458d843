import DomicileCore
import DomicileStore
import Foundation

extension ConsolePages {
    /// A page not built yet: its title and a note, so the navigation works meanwhile.
    static func placeholder(_ title: Bilingual, parameters: [String] = []) -> ConsolePage {
        ConsolePage(parameters: parameters) { request in
            let view = request.view
            return try await request.read { _ in
                placeholderTemplate.render([String: String](), title: title(view.language), view)
            }
        }
    }

    static let placeholderTemplate = ConsoleTemplate(
        "placeholder", labels: ["notYet": Bilingual("This page is not built yet.", "このページは準備中です。")],
        """
        {{> head}}
        <p class="notice">{{labels.notYet}}</p>
        {{> foot}}
        """)
}
