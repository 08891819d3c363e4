"""Entry point: `python wsgi.py` serves HTTP and Socket.IO on $HOST:$PORT."""
from coordinator import create_app
from coordinator.extensions import socketio

app = create_app()

if __name__ == "__main__":
    # Werkzeug serves Socket.IO in threading mode only when told it may (no TTY under make run).
    socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], allow_unsafe_werkzeug=True,
                 use_reloader=False, debug=False)
