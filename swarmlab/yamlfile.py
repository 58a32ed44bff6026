"""Reading the YAML files a user gives swarmlab: inventories, rosters, rubrics.

Round-trip loading keeps each value's line, so that a refusal names the line. Aliases are refused: none of these
files needs one, and nested ones expand a few hundred bytes into gigabytes when the values are read.
"""

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent


def load(text: str, path, error):
    """The document; `error` (an exception class) carries one line naming the file, the line and the problem."""
    yaml = YAML(typ="rt")
    try:
        for event in yaml.parse(text):
            if isinstance(event, AliasEvent):
                raise error(
                    f"{path}, line {event.start_mark.line + 1}: uses a YAML alias (*{event.anchor}): write "
                    f"each value out"
                )
        return yaml.load(text)
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise error(f"{path}{where}: not valid YAML ({getattr(err, 'problem', None) or err})") from None
