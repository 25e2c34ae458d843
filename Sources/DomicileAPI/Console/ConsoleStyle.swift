import DomicileStore
import Foundation

/// The console's one stylesheet, served by the binary at `/console.css` (no external
/// asset): tagged with its SHA-256, which its link carries (`?v=`), so a new build's
/// stylesheet is fetched anew.
///
/// Colours pass WCAG 2.1 AA (text 4.5:1 or more on its background); focus is always
/// visible; tables scroll sideways inside their box at 375 px; print drops the navigation.
/// Classes pages may use: `.ok`, `.warning`, `.error` (severity text), `.badge`,
/// `.muted`, `.table-wrap` (around a wide table), `.cards` (a grid of `.card`), `.inline`
/// (a form on one line), `.diagram` (an inline SVG).
enum ConsoleStyle {
    static let path = "/console.css"
    static let tag = "\"" + APIToken.hash(css).prefix(16) + "\""
    static let href = path + "?v=" + APIToken.hash(css).prefix(12)

    static let css = """
        :root {
          --ink: #1b1f24; --muted: #4a5361; --paper: #ffffff; --wash: #f3f5f8; --line: #c9d0da;
          --accent: #0b5cad; --accent-ink: #ffffff; --error: #a4161a; --warning: #7a4b00; --ok: #1d6b2f;
          --focus: #ffbf47;
        }
        * { box-sizing: border-box; }
        html { font-size: 100%; -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; color: var(--ink); background: var(--paper); line-height: 1.5;
          font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", sans-serif;
        }
        a { color: var(--accent); text-underline-offset: 0.15em; }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink); }
        .skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: 0.5rem 1rem; }
        .skip:focus { left: 0.5rem; z-index: 10; }
        header.site {
          display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
          padding: 0.5rem 1rem; background: var(--ink); color: var(--paper);
        }
        header.site a { color: var(--paper); }
        header.site .brand { margin: 0; font-weight: 700; font-size: 1.125rem; }
        header.site .brand a { text-decoration: none; }
        header.site nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
        header.site nav a { display: inline-block; padding: 0.25rem 0; text-decoration: none; border-bottom: 3px solid transparent; }
        header.site nav a:hover { border-bottom-color: var(--line); }
        header.site nav a[aria-current="page"] { border-bottom-color: var(--focus); font-weight: 700; }
        header.site .session { display: flex; align-items: center; gap: 1rem; margin-left: auto; }
        header.site form { margin: 0; }
        button, input, select { font: inherit; }
        button, .button {
          display: inline-block; padding: 0.375rem 0.875rem; border: 1px solid var(--accent); border-radius: 4px;
          background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none;
        }
        header.site button { background: transparent; border-color: var(--paper); color: var(--paper); }
        input, select { padding: 0.375rem 0.5rem; border: 1px solid var(--muted); border-radius: 4px; background: var(--paper); color: var(--ink); max-width: 100%; }
        label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
        main { max-width: 80rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.75rem; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
        h3 { font-size: 1.0625rem; margin: 1.5rem 0 0.5rem; }
        .table-wrap { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
        caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
        th, td { text-align: left; vertical-align: top; padding: 0.375rem 0.625rem; border-bottom: 1px solid var(--line); }
        thead th { background: var(--wash); border-bottom: 2px solid var(--muted); }
        tbody th { font-weight: 600; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; margin: 0 0 1rem; padding: 0; list-style: none; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; background: var(--wash); }
        .card .count { font-size: 2rem; font-weight: 700; line-height: 1.2; display: block; }
        .error { color: var(--error); }
        .warning { color: var(--warning); }
        .ok { color: var(--ok); }
        .muted { color: var(--muted); }
        .badge { display: inline-block; padding: 0 0.5rem; border: 1px solid currentColor; border-radius: 999px; font-size: 0.875rem; font-weight: 600; white-space: nowrap; }
        .notice { border-left: 4px solid var(--accent); background: var(--wash); padding: 0.5rem 1rem; margin: 0 0 1rem; }
        .notice.error { border-left-color: var(--error); }
        form.inline { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem; margin: 0 0 1rem; }
        form.inline div { display: flex; flex-direction: column; }
        form.stacked div { margin: 0 0 1rem; }
        .diagram { max-width: 100%; height: auto; }
        .diagram text { fill: var(--ink); font-size: 12px; }
        footer.site { border-top: 1px solid var(--line); color: var(--muted); padding: 0.5rem 1rem; font-size: 0.875rem; text-align: center; }
        @media (max-width: 40rem) {
          header.site .session { margin-left: 0; }
          h1 { font-size: 1.375rem; }
          dl.facts { grid-template-columns: 1fr; }
          dl.facts dd { margin-bottom: 0.5rem; }
          /* A wide table keeps legible columns and scrolls inside its wrapper, not the page. */
          .table-wrap th, .table-wrap td { min-width: 6.5rem; }
          .table-wrap > table:has(tr > :nth-child(4)) { min-width: 48rem; }
        }
        @media print {
          header.site nav, header.site .session, .skip, footer.site, form { display: none; }
          header.site { background: none; color: var(--ink); padding: 0; }
          header.site a { color: var(--ink); }
          a { color: var(--ink); text-decoration: none; }
          main { max-width: none; padding: 0; }
          .table-wrap { overflow: visible; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; }
        }

        """
}
