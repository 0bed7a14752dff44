/**
 * The built-in report layout (Liquid). A TypeScript string rather than a .liquid file so that it
 * ships inside the compiled build. Override it with `report.template` in sidekick.yaml; the
 * variables and filters are documented in docs/report.md. Every time is UTC, named as such, and
 * the impact is measured on one clock (see `timings`).
 */
export const DEFAULT_REPORT_TEMPLATE = `# {{ incident.ref }}: {{ incident.title | inline }}

**Severity:** {{ incident.severity }} · **Status:** {{ incident.status }} · **Opened:** {{ incident.createdAt | datetime }}{% if incident.meeting %} · **Meeting:** {{ incident.meeting.joinUrl | link: incident.meeting.provider }}{% endif %}

{{ incident.url | link: "The incident in Sidekick" }} · report generated {{ generatedAt | datetime }} · times are UTC

{% if draft %}{{ draftMarkdown }}{% else %}## Summary

{% if summary != "" %}{{ summary | md }}{% else %}<!-- What happened and who was affected, in two sentences, for people who read only this. Write it in the incident room before filing. -->
_No summary yet._{% endif %}{% endif %}

## Impact

| | |
| --- | --- |
| Impact started | {{ timings.impactStart | datetime }} |
| Impact ended | {% if timings.impactEnd %}{{ timings.impactEnd | datetime }}{% else %}ongoing{% endif %} |
| Impact window | {{ timings.impactMs | duration }} |
| Time to acknowledge (from opening) | {{ timings.acknowledgeMs | duration }} |
| Time to mitigate (from start of impact) | {{ timings.mitigateMs | duration }} |
| Time to resolve (from start of impact) | {{ timings.resolveMs | duration }} |

{{ alerts.size }} alert{% if alerts.size != 1 %}s{% endif %} in {{ alertGroups.size }} group{% if alertGroups.size != 1 %}s{% endif %}:
{% for g in alertGroups limit: 25 %}
- **{{ g.title | inline }}** ({{ g.source }}, {{ g.severity }}, {{ g.status }}): {{ g.count }} alert{% if g.count != 1 %}s{% endif %} from {{ g.firstAt | time }} to {{ g.lastAt | time }}{% if g.sample.labelList.size > 0 %}; {% for l in g.sample.labelList %}{{ l.key | code }} = {{ l.value | code }}{% unless forloop.last %}, {% endunless %}{% endfor %}{% endif %}{% if g.sample.links.size > 0 %}; {% for k in g.sample.links %}{{ k.url | link: k.title }}{% unless forloop.last %} · {% endunless %}{% endfor %}{% endif %}{% endfor %}{% if alertGroups.size > 25 %}
- and {{ alertGroups.size | minus: 25 }} more groups{% endif %}

The alerts' payloads are in {{ incident.reportUrl | link: "the API" }} and the incident's page.

## People and roles

{% if roles.size > 0 %}{% for r in roles %}- {{ r.label }}: **{{ r.name | inline }}** (since {{ r.since | time }})
{% endfor %}
{% endif %}{% if acknowledgedBy %}Acknowledged by {{ acknowledgedBy | inline }} after {{ timings.acknowledgeMs | duration }}.

{% endif %}{% if responders.size > 0 %}Responders: {{ responders | join: ", " }}{% else %}Nobody was recorded as responding.{% endif %}

Status: {% for s in statusHistory %}{{ s.at | time }} **{{ s.to | inline }}** by {{ s.actor | inline }}{% unless forloop.last %} → {% endunless %}{% endfor %}{% if severityHistory.size > 0 %}

Severity: {% for s in severityHistory %}{{ s.at | time }} **{{ s.to | inline }}**{% if s.from %} (was {{ s.from | inline }}){% endif %} by {{ s.actor | inline }}{% unless forloop.last %}; {% endunless %}{% endfor %}{% endif %}

## Key moments
{% for m in keyMoments %}
- {{ m.at | time }} **{{ m.author | inline }}**: {{ m.text | chat }}{% endfor %}{% if keyMoments.size == 0 %}
None were marked. Mark a message as a key moment in the room, or react with 📌 in Slack.{% endif %}

## Decisions
{% for d in decisions %}
- {{ d.at | time }} **{{ d.actor | inline }}**: {% if d.source == "marked" %}{{ d.text | chat }}{% else %}{{ d.text | inline }}{% endif %}{% if d.source == "playbook" %} _(playbook choice)_{% endif %}{% endfor %}{% if decisions.size == 0 %}
None were recorded. Mark a message as a decision, or type \`/sidekick decision <text>\`.{% endif %}

## Follow-ups

{{ followUpsMarkdown }}

## Timeline

<details><summary>{{ timeline.size }} event{% if timeline.size != 1 %}s{% endif %}, oldest first (chat messages are in the conversation below)</summary>

{{ timelineMarkdown }}

</details>
{% if failures.size > 0 %}
## What did not work

{% for f in failures %}- {{ f.at | time }} {{ f.text | indent: 2 }}
{% endfor %}{% endif %}
## Commands run
{% for c in commands %}
- {{ c.at | time }}{% if c.page %} on page {{ c.page | code }}{% endif %}:

{{ c.command | fence: "sh", 2 }}{% if c.sources.size > 0 %}

  Values from the alert: {% for s in c.sources %}{{ s.path | code }} → {{ s.value | code }}{% unless forloop.last %}, {% endunless %}{% endfor %}{% endif %}{% if c.missing.size > 0 %}

  Missing values: {% for m in c.missing %}{{ m | code }}{% unless forloop.last %}, {% endunless %}{% endfor %}{% endif %}
{% endfor %}{% if commands.size == 0 %}
No commands were shown.
{% endif %}
## Graphs
{% for g in graphs %}{% if g.imageUrl %}
**{{ g.title | inline }}**

{{ g.imageUrl | image: g.title }}{% if g.linkUrl %} {{ g.linkUrl | link: "open" }}{% endif %}
{% endif %}{% endfor %}{% for g in graphs %}{% unless g.imageUrl %}
- {{ g.linkUrl | link: g.title }}{% endunless %}{% endfor %}{% if graphs.size == 0 %}
No graphs came with the alerts.{% endif %}

## Conversation

{{ messageCount }} message{% if messageCount != 1 %}s{% endif %} and {{ threadCount }} thread{% if threadCount != 1 %}s{% endif %}, oldest first; replies are indented under the message that started their thread.

{{ conversationMarkdown }}

## Action items

<!-- The RCA's action items beyond the follow-ups above: one checkbox per item, with an owner. Kept when the report is filed again. -->
- [ ] 
`;
