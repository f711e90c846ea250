// The insight kinds above each editor: each tab opens its editor with that kind's default query.
const TABS = [
  { href: '/insights/trends', label: 'Trends' },
  { href: '/insights/funnels', label: 'Funnels' },
  { href: '/insights/retention', label: 'Retention' },
  { href: '/insights/paths', label: 'Paths' },
  { href: '/insights/stickiness', label: 'Stickiness' },
  { href: '/insights/lifecycle', label: 'Lifecycle' },
];

export function InsightTabs({ current }: { current: string }) {
  return (
    <nav class="tabs" aria-label="Insight type">
      {TABS.map((tab) => (
        <a key={tab.href} href={tab.href} data-testid={`insight-tab-${tab.label.toLowerCase()}`}
           aria-current={tab.href === current ? 'page' : undefined}>{tab.label}</a>
      ))}
    </nav>
  );
}
