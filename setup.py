"""Build hook: ship campaigns/*.toml inside the wheel as pufa/_campaigns (see pufa/workspace.py)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCampaigns(build_py):
    """Copy the campaign data files next to the package; editable installs read campaigns/ directly."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = Path(__file__).parent / "campaigns"
        target = Path(self.build_lib) / "pufa" / "_campaigns"
        for path in sorted(source.rglob("*.toml")):
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


setup(cmdclass={"build_py": BuildWithCampaigns})
