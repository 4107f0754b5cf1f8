/** The HTML document every report is: inline CSS, no scripts, no network. */
import { escapeHtml } from './escape.js';
import { reportCss } from './style.js';

/** A complete document around `body`; `css` adds a report's own rules to the shared stylesheet. */
export function htmlPage(title: string, body: string, css = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${reportCss}${css}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
