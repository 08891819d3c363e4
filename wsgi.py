"""Entry point: `python wsgi.py` serves HTTP and Socket.IO on $HOST:$PORT; gunicorn serves `wsgi:app`."""
import os

if __name__ == "__main__" and os.environ.get("SOCKETIO_ASYNC_MODE") == "gevent":
    # gunicorn -k gevent patches before it imports the app; served directly, the patch must come first too.
    from gevent import monkey

    monkey.patch_all()

from coordinator import create_app  # noqa: E402 - after the patch above
from coordinator.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    # Werkzeug serves Socket.IO in threading mode only when told it may (no TTY under make run).
    socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], allow_unsafe_werkzeug=True,
                 use_reloader=False, debug=False)
