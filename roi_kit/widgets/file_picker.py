"""A file button that checks the size in the browser before anything is sent, and sends in chunks.

ipywidgets' ``FileUpload`` sends each file in one websocket message after reading it whole. A file
over the server's message limit (10 MB by default) then drops the websocket: the page reconnects
and no message ever says why. :class:`FilePicker` instead

* refuses a file over ``max_bytes`` **in the browser**, before a byte is sent, and says so at once
  next to the button (and to Python, which shows the app's own message);
* sends accepted files in chunks of ``chunk_bytes`` (2 MB), far below any websocket limit,
  with a "sending" note while it runs.

It is an ``anywidget`` (the same machinery as Altair's offline charts), so it works in JupyterLab
and Voila with no network access.

Examples
--------
>>> picker = FilePicker(max_bytes=10)
>>> got = []
>>> picker.on_files(lambda files, refused: got.append((files, refused)))
>>> picker.receive({"kind": "chunk", "name": "a.csv", "index": 0, "total": 2, "size": 4}, [b"ab"])
>>> picker.receive({"kind": "chunk", "name": "a.csv", "index": 1, "total": 2, "size": 4}, [b"c,"])
>>> picker.receive({"kind": "too_big", "name": "big.csv", "size": 11}, [])
>>> picker.receive({"kind": "done"}, [])
>>> got
[({'a.csv': b'abc,'}, {'big.csv': 11})]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anywidget
import traitlets

__all__ = ["FilePicker"]

FilesCallback = Callable[[dict[str, bytes], dict[str, int]], None]

_ESM = r"""
function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  input.accept = model.get("accept");
  input.style.display = "none";
  const button = document.createElement("button");
  button.className = "jupyter-widgets jupyter-button widget-upload rk-file-picker";
  button.textContent = "\u2191 " + model.get("description");
  button.onclick = () => input.click();
  const note = document.createElement("span");
  note.className = "rk-file-note";
  note.style.cssText = "margin-left:8px;font-size:13px";
  const mb = (n) => (n / 1048576).toFixed(1) + " MB";
  input.onchange = async () => {
    const files = [...input.files];
    input.value = "";
    const limit = model.get("max_bytes");
    const chunk = model.get("chunk_bytes");
    const refused = [];
    for (const file of files) {
      if (file.size > limit) {
        refused.push(file.name + " is " + mb(file.size) + ": over the " + mb(limit) +
                     " limit, not sent");
        model.send({ kind: "too_big", name: file.name, size: file.size });
        continue;
      }
      note.textContent = "Sending " + file.name + " (" + mb(file.size) + ")…";
      const data = await file.arrayBuffer();
      const total = Math.max(1, Math.ceil(data.byteLength / chunk));
      for (let i = 0; i < total; i++) {
        model.send({ kind: "chunk", name: file.name, index: i, total: total,
                     size: data.byteLength }, undefined,
                   [data.slice(i * chunk, (i + 1) * chunk)]);
      }
    }
    note.textContent = refused.join("; ");
    note.style.color = refused.length ? "#7a1d16" : "";
    model.send({ kind: "done" });
  };
  el.append(button, input, note);
}
export default { render };
"""


class FilePicker(anywidget.AnyWidget):  # type: ignore[misc]
    """Choose files in the browser; files over ``max_bytes`` are refused before sending.

    Parameters
    ----------
    accept
        File extensions offered by the browser's file chooser (``".csv,.xlsx"``).
    max_bytes
        Largest file sent, in bytes.
    description
        Button text.
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("Choose files").tag(sync=True)
    max_bytes = traitlets.Int(25 * 1024 * 1024).tag(sync=True)
    chunk_bytes = traitlets.Int(2 * 1024 * 1024).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._parts: dict[str, dict[int, bytes]] = {}
        self._files: dict[str, bytes] = {}
        self._refused: dict[str, int] = {}
        self._callbacks: list[FilesCallback] = []
        self.on_msg(lambda _w, content, buffers: self.receive(content, buffers))

    def on_files(self, callback: FilesCallback) -> None:
        """Call ``callback(files, refused)`` after each choice: name → bytes of the files
        received, name → size of the files refused for their size."""
        self._callbacks.append(callback)

    def receive(self, content: Mapping[str, Any], buffers: Sequence[Any]) -> None:
        """Handle one message from the browser (public so tests can play a browser)."""
        kind = content.get("kind")
        name = str(content.get("name", ""))
        if kind == "too_big":
            self._refused[name] = int(content.get("size", 0))
        elif kind == "chunk" and buffers:
            if int(content.get("size", 0)) > self.max_bytes:  # never trust the page alone
                self._refused[name] = int(content["size"])
                return
            parts = self._parts.setdefault(name, {})
            parts[int(content["index"])] = bytes(buffers[0])
            if len(parts) == int(content["total"]):
                self._files[name] = b"".join(parts[i] for i in sorted(parts))
                del self._parts[name]
        elif kind == "done":
            files, refused = self._files, self._refused
            self._files, self._refused, self._parts = {}, {}, {}
            for callback in self._callbacks:
                callback(files, refused)
