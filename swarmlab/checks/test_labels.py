"""Stage labels (part 2): `docker node update --label-add` put the lesson's labels on the lesson's nodes.

On a one-node cluster (the homework) that node carries every label.
"""

import difflib

from swarmlab.checking import CheckFailure, check, expect
from swarmlab.lesson.spec import LESSON_LABELS


def wanted(facts) -> dict:
    return facts.part.labels_for(facts.names)


@check("labels", "every_node_carries_the_lessons_labels")
def every_node_carries_the_lessons_labels(facts):
    view = facts.manager()
    for name, labels in wanted(facts).items():
        node = view.node_named(name)
        if node is None:
            continue  # not in the swarm: stage join says so
        missing = {k: v for k, v in labels.items() if node.labels.get(k) != v}
        for key in missing:
            typo = difflib.get_close_matches(key, [k for k in node.labels if k not in labels], n=1, cutoff=0.6)
            if typo:
                raise CheckFailure(
                    "labels.typo",
                    [f'docker node inspect {name} --format "{{{{json .Spec.Labels}}}}": {node.labels}'],
                    node=name,
                    found=typo[0],
                    wanted=key,
                )
        expect(
            not missing,
            "labels.missing",
            node=name,
            labels=", ".join(f"{k}={v}" for k, v in missing.items()),
            actual=node.labels or "{}",
            flags=" ".join(f"--label-add {k}={v}" for k, v in missing.items()),
        )


@check("labels", "no_lesson_label_is_on_another_node")
def no_lesson_label_is_on_another_node(facts):
    view = facts.manager()
    for name, labels in wanted(facts).items():
        node = view.node_named(name)
        if node is None:
            continue
        extra = [k for k in LESSON_LABELS if k in node.labels and k not in labels]
        expect(not extra, "labels.wrong_node", node=name, label=", ".join(extra))
