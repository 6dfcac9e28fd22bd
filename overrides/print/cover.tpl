<div class="fn-cover">
  <h1>{{ config.site_name }}</h1>
  <p class="fn-cover__subtitle">{{ config.site_description }}</p>
  <dl class="fn-cover__facts">
    <dt>Verified against</dt><dd>Kubernetes v{{ config.extra.k8s_version }}</dd>
    <dt>Built</dt><dd>{{ config.extra.build_date }}</dd>
    <dt>Revision</dt><dd>{{ config.extra.git_revision }}</dd>
  </dl>
</div>
