"""The nodes' bases: which suite each package comes from, and a moving suite that moved past its engine."""

import pytest

from swarmlab.errors import SwarmlabError
from swarmlab.lab import ENGINES, images


def dpkg_status(rootfs, *stanzas):
    status = rootfs / "var/lib/dpkg/status"
    status.parent.mkdir(parents=True)
    status.write_text("\n\n".join(stanzas) + "\n")
    return rootfs


def stanza(package, version, state="install ok installed"):
    return f"Package: {package}\nStatus: {state}\nDescription: x\n continued line: not a field\nVersion: {version}"


def test_every_engine_offered_has_a_node_image_whose_base_must_hold_it():
    assert tuple(images.ENGINES) == ENGINES
    for name, node in images.ENGINES.items():
        assert node.base.engine == name


def test_only_the_engine_comes_from_the_moving_suite_and_its_stale_release_is_still_signed():
    base = images.NODE_BASE_28
    newer = [line for line in base.sources() if base.newer in line]
    assert newer == [f"deb [check-valid-until=no] {images.mirror()} forky main"]
    assert "trusted=yes" not in " ".join(base.sources())
    everything, engine = base.preferences().split("\n\n")
    assert "Package: *" in everything and "Pin-Priority: 100" in everything
    assert engine.splitlines()[0] == "Package: docker.io docker-cli containerd runc tini tini-static"
    assert "Pin-Priority: 990" in engine


def test_a_base_of_one_stable_suite_has_one_source_and_no_pins():
    assert images.STACK_BASE.sources() == [f"deb {images.mirror()} bookworm main"]
    assert images.STACK_BASE.preferences() == ""


def test_pinning_packages_from_another_suite_changes_the_base_and_its_tag():
    plain = images.Base("node-base", images.NODE_PACKAGES, suite="trixie")
    pinned = images.Base("node-base", images.NODE_PACKAGES, suite="trixie", newer="forky", from_newer=("runc",))
    assert plain.tag != pinned.tag


def test_the_installed_version_is_read_from_dpkg_and_a_removed_package_is_not_installed(tmp_path):
    rootfs = dpkg_status(
        tmp_path,
        stanza("containerd", "2.1.9+ds1-5"),
        stanza("docker.io", "28.5.2+dfsg4-5"),
        stanza("runc", "1.3.6", state="deinstall ok config-files"),
    )
    assert images.installed_version(rootfs, "docker.io") == "28.5.2+dfsg4-5"
    assert images.installed_version(rootfs, "runc") == ""
    assert images.installed_version(rootfs, "tini") == ""


def test_a_base_holding_its_engine_passes(tmp_path):
    images._check_engine(images.NODE_BASE_28, dpkg_status(tmp_path, stanza("docker.io", "28.5.2+dfsg4-5")))


@pytest.mark.parametrize("found, said", [("29.0.1+dfsg1-1", "docker.io 29.0.1+dfsg1-1"), (None, "docker.io (none)")])
def test_a_moving_suite_past_the_engine_is_named_with_what_it_ships_now(tmp_path, found, said):
    rootfs = dpkg_status(tmp_path, *([stanza("docker.io", found)] if found else [stanza("tini", "0.19")]))
    with pytest.raises(SwarmlabError) as raised:
        images._check_engine(images.NODE_BASE_28, rootfs)
    message = str(raised.value)
    assert f"Debian forky now ships {said}, not 28.5" in message
    assert "--engine (20.10)" in message and "\n" not in message


def test_28_5_is_not_taken_for_28_50(tmp_path):
    with pytest.raises(SwarmlabError, match="ships docker.io 28.50.1"):
        images._check_engine(images.NODE_BASE_28, dpkg_status(tmp_path, stanza("docker.io", "28.50.1")))
