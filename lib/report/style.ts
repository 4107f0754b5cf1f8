/** Inline stylesheet of the report page. */
export const reportCss = `
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, sans-serif; color: #222; background: #fafafa; margin: 0; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 8px 0 16px; }
h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; background: white; font-size: 14px; }
th, td { padding: 4px 12px; border-bottom: 1px solid #e5e5e5; text-align: left; }
thead th { border-bottom: 2px solid #bbb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary th { color: #555; font-weight: 600; }
.panels { display: flex; flex-wrap: wrap; gap: 16px; }
figure { width: fit-content; margin: 0; background: white; border: 1px solid #e5e5e5; border-radius: 4px; padding: 8px; }
figure svg { display: block; max-width: 100%; height: auto; }
p.empty { color: #777; font-style: italic; }
footer { margin-top: 40px; color: #888; font-size: 12px; }
`;
