// The browser camera for DIY ML: open it, show it (mirrored, as a person expects to see
// themselves), grab frames as JPEG for .NET, close it. Frames travel to the server as stream
// references, so they are not bound by the circuit's message-size limit.

export async function start(video) {
    if (!window.isSecureContext) {
        return { ok: false, reason: "insecure" };
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        return { ok: false, reason: "unsupported" };
    }
    try {
        const stream = await navigator.mediaDevices.getUserMedia({
            video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" },
            audio: false,
        });
        video.muted = true;
        video.playsInline = true;
        video.srcObject = stream;
        await video.play();
        return { ok: true, reason: null };
    } catch (e) {
        const name = e && e.name;
        if (name === "NotAllowedError" || name === "SecurityError") {
            return { ok: false, reason: "denied" };
        }
        if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
            return { ok: false, reason: "nocamera" };
        }
        if (name === "NotReadableError" || name === "AbortError" || name === "TrackStartError") {
            return { ok: false, reason: "busy" };
        }
        return { ok: false, reason: "error" };
    }
}

export function stop(video) {
    const stream = video && video.srcObject;
    if (stream) {
        stream.getTracks().forEach(t => t.stop());
        video.srcObject = null;
    }
}

// One frame as JPEG bytes, its longer side at most maxSide; null while the camera has no picture yet.
// The frame is the camera's own view (not mirrored), the same for training and for predicting.
export async function capture(video, maxSide, quality) {
    const w = video && video.videoWidth, h = video && video.videoHeight;
    if (!w || !h) {
        return null;
    }
    const scale = Math.min(1, maxSide / Math.max(w, h));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(w * scale));
    canvas.height = Math.max(1, Math.round(h * scale));
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise(resolve => canvas.toBlob(resolve, "image/jpeg", quality));
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}

// Pictures pasted anywhere on the page (Ctrl+V) are handed to .NET one at a time.
export function listenForPaste(dotnet) {
    const handler = e => {
        const items = (e.clipboardData && e.clipboardData.items) || [];
        for (const item of items) {
            if (item.kind === "file" && item.type.startsWith("image/")) {
                const file = item.getAsFile();
                if (file) {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnPasted", DotNet.createJSStreamReference(file), file.name || "pasted.png", file.size);
                    return;
                }
            }
        }
    };
    document.addEventListener("paste", handler);
    return { dispose: () => document.removeEventListener("paste", handler) };
}
