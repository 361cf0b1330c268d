import pathlib

pathlib.Path("pwned-by-mkdocs-yml").touch()
