// Live channels: a websocket that reconnects by itself with ?after=SEQ&epoch=… so nothing is
// missed, and tells the page whether it is live, connecting or down.

/**
 * Follow a channel, e.g. follow("/ws/public/3", {onMessage, onState}).
 * onMessage(message) gets every envelope {seq, type, t_sim, data} (hello and resync included);
 * onState("connecting" | "live" | "down") tracks the connection. Returns {close()}.
 * @param {string} path
 * @param {{ onMessage: (message: any) => void, onState?: (state: "connecting" | "live" | "down") => void }} handlers
 */
export function follow(path, { onMessage, onState = () => {} }) {
  let lastSeq = null;
  let epoch = null;
  let retry = 500;
  let socket = null;
  let closed = false;
  let timer = null;

  function open() {
    onState("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = lastSeq == null ? "" : `${path.includes("?") ? "&" : "?"}after=${lastSeq}&epoch=${epoch}`;
    socket = new WebSocket(`${scheme}://${location.host}${path}${query}`);
    socket.onopen = () => {
      retry = 500;
      onState("live"); // a quiet channel (paused, finished) may send nothing for a while
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "hello" || message.type === "resync") epoch = message.data.epoch;
      lastSeq = message.seq;
      onState("live");
      onMessage(message);
    };
    socket.onclose = (event) => {
      if (closed) return;
      onState("down");
      if (event.code === 1008) return; // refused for good (not allowed): the page says why
      timer = setTimeout(open, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }
  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
