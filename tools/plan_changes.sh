#!/usr/bin/env bash
# What a pull or merge request does to the plans, for the GitHub and GitLab CI files alike.
#
#   bash tools/plan_changes.sh summary BASE            # Markdown on stdout: each changed plan's diff
#   bash tools/plan_changes.sh merges BASE [--github]  # each merge commit against both parents
#
# summary writes every plan's `plantrack diff` against BASE (an invalid plan still gets its
# problems and text diff) and exits 1 after all of them if any plan was invalid. merges
# fails when a merge commit in BASE..HEAD dropped progress entries one of its parents had
# (a merge made without the plantrack merge driver); --github words that as an annotation.
set -uo pipefail
what=${1:?summary or merges}
base=${2:?the target branch, e.g. origin/main}
annotate=${3:-}

changed_plans() {
  git diff --name-only "$base"...HEAD -- 'plans/*.yaml'
}

summary() {
  local status=0 plan
  while IFS= read -r plan; do
    if [ ! -f "$plan" ]; then
      echo "### $plan 已删除"
    elif git cat-file -e "$base:$plan" 2>/dev/null; then
      plantrack diff "$base" HEAD --plan "$plan" || status=1
    else
      echo "### 新增计划 $plan"
    fi
  done < <(changed_plans)
  return "$status"
}

merges() {
  local status=0 merge plan parent said
  for merge in $(git rev-list --merges "$base"..HEAD); do
    while IFS= read -r plan; do
      git cat-file -e "$merge:$plan" 2>/dev/null || continue
      for parent in $(git rev-list --parents -n 1 "$merge" | cut -d' ' -f2-); do
        git cat-file -e "$parent:$plan" 2>/dev/null || continue
        if ! plantrack diff "$parent" "$merge" --plan "$plan" --keeps-progress > /dev/null; then
          said="合并提交 ${merge:0:8} 丢掉了父提交 ${parent:0:8} 中的进展（见上方列出的条目）"
          if [ "$annotate" = "--github" ]; then
            echo "::error file=$plan::$said"
          else
            echo "$plan: $said"
          fi
          status=1
        fi
      done
    done < <(changed_plans)
  done
  return "$status"
}

case "$what" in
  summary) summary ;;
  merges) merges ;;
  *) echo "tools/plan_changes.sh: summary 或 merges" >&2; exit 2 ;;
esac
