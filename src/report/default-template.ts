/**
 * The built-in report layout (Liquid). A TypeScript string rather than a .liquid file so that it
 * ships inside the compiled build. Override it with `report.template` in sidekick.yaml; the
 * variables and filters are documented in docs/report.md.
 */
export const DEFAULT_REPORT_TEMPLATE = `# {{ incident.ref }}: {{ incident.title | inline }}

**Severity:** {{ incident.severity }} · **Status:** {{ incident.status }} · **Opened:** {{ incident.createdAt | datetime }}{% if incident.meeting %} · **Meeting:** {{ incident.meeting.joinUrl | link: incident.meeting.provider }}{% endif %}

{{ incident.url | link: "The incident in Sidekick" }} · report generated {{ generatedAt | datetime }}

## Summary

<!-- What happened and who was affected, in two sentences, for people who read only this. -->

## Impact and timings

| | |
| --- | --- |
| Impact started | {{ timings.impactStart | datetime }} |
| Impact ended | {% if timings.impactEnd %}{{ timings.impactEnd | datetime }}{% else %}ongoing{% endif %} |
| Impact window | {{ timings.impactMs | duration }} |
| Time to acknowledge (from opening) | {{ timings.acknowledgeMs | duration }} |
| Time to mitigate (from start of impact) | {{ timings.mitigateMs | duration }} |
| Time to resolve (from start of impact) | {{ timings.resolveMs | duration }} |

## Status history
{% for s in statusHistory %}
- {{ s.at | time }} **{{ s.to | inline }}** by {{ s.actor | inline }}{% endfor %}
{% if severityHistory.size > 0 %}
Severity changes:
{% for s in severityHistory %}
- {{ s.at | time }} **{{ s.to | inline }}**{% if s.from %} (was {{ s.from | inline }}){% endif %} by {{ s.actor | inline }}{% endfor %}
{% endif %}
## Responders

{% if responders.size > 0 %}{{ responders | join: ", " }}{% else %}Nobody was recorded as responding.{% endif %}
{% for r in roles %}
- **{{ r.label }}**: {{ r.name | inline }} (since {{ r.since | time }}){% endfor %}{% if acknowledgedBy %}

Acknowledged by {{ acknowledgedBy | inline }} after {{ timings.acknowledgeMs | duration }}.{% endif %}

## Alerts

{{ alerts.size }} alert{% if alerts.size != 1 %}s{% endif %} in {{ alertGroups.size }} group{% if alertGroups.size != 1 %}s{% endif %}.
{% for g in alertGroups limit: 25 %}
### {{ g.title | inline }}

- {{ g.source }} · {{ g.severity }} · {{ g.status }} · {{ g.count }} alert{% if g.count != 1 %}s{% endif %} from {{ g.firstAt | time }} to {{ g.lastAt | time }}{% if g.sample.labelList.size > 0 %}
- Labels: {% for l in g.sample.labelList %}{{ l.key | code }} = {{ l.value | code }}{% unless forloop.last %}, {% endunless %}{% endfor %}{% endif %}{% if g.sample.links.size > 0 %}
- Links: {% for k in g.sample.links %}{{ k.url | link: k.title }}{% unless forloop.last %} · {% endunless %}{% endfor %}{% endif %}

<details><summary>Payload of the first alert</summary>

{{ g.sample.rawJson | fence: "json" }}
{% if g.sample.rawTruncated %}
The payload was cut short here; the whole one is in the API.
{% endif %}
</details>
{% endfor %}{% if alertGroups.size > 25 %}
And {{ alertGroups.size | minus: 25 }} more groups:
{% for g in alertGroups offset: 25 limit: 200 %}
- {{ g.title | inline }} ({{ g.count }}){% endfor %}
{% endif %}
## Decisions
{% for d in decisions %}
- {{ d.at | time }} **{{ d.actor | inline }}**: {{ d.text | inline }}{% endfor %}{% if decisions.size == 0 %}
No playbook choices were made.{% endif %}

## Commands shown
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
{% if failures.size > 0 %}
## What did not work

{% for f in failures %}- {{ f.at | time }} {{ f.text | indent: 2 }}
{% endfor %}{% endif %}
## Timeline

Everything but chat messages, which are in the conversation above.

{{ timelineMarkdown }}

## Follow-ups

{{ followUpsMarkdown }}

## Action items

<!-- Follow-up work from the RCA: one checkbox per item, with an owner. -->
- [ ] 
`;
