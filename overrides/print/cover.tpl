{#- The PDF's cover (print-site renders it with Jinja; styled in print.css). The title is not a
    heading on purpose: the home page's <h1> has the same text, and Chromium turns every heading
    into a PDF bookmark; the PDF's own Title metadata carries the name. -#}
<div class="fn-cover">
  <div class="fn-cover__band">
    <p class="fn-cover__kicker">Study notes, verified</p>
    <p class="fn-cover__title">{{ config.site_name }}</p>
    <p class="fn-cover__subtitle">{{ config.site_description }}</p>
  </div>
  <p class="fn-cover__version"><span>Kubernetes</span> v{{ config.extra.k8s_version }}</p>
  <dl class="fn-cover__facts">
    <dt>Verified against</dt><dd>Kubernetes v{{ config.extra.k8s_version }}</dd>
    <dt>Built</dt><dd>{{ config.extra.build_date }}</dd>
    <dt>Git revision</dt><dd><code>{{ config.extra.git_revision }}</code></dd>
    {%- if config.repo_url %}
    <dt>Source</dt><dd>{{ config.repo_url }}</dd>
    {%- endif %}
  </dl>
  <p class="fn-cover__license">{{ config.copyright }}</p>
</div>
