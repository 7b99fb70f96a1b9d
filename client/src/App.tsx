/** The page: the 3D room with the status banner, transcript, chat and name card over it. */
import { useEffect, useMemo } from "react";
import { RoomScene } from "./scene/RoomScene.js";
import { Transcript } from "./ui/Transcript.js";
import { ChatPanel } from "./ui/ChatPanel.js";
import { StatusBanner } from "./ui/StatusBanner.js";
import { NameCard } from "./ui/NameCard.js";
import { NameField, myName } from "./ui/NameField.js";
import { SettingsPanel } from "./ui/SettingsPanel.js";
import { CastBar } from "./ui/CastBar.js";
import { personId } from "./ui/identity.js";
import { MicPanel } from "./ui/MicPanel.js";
import { Microphone } from "./voice/Microphone.js";
import { restoreVolumes } from "./ui/voiceMixer.js";
import { useUi, uiStore } from "./state/store.js";
import { uploadAvatar } from "./ui/avatarUpload.js";
import { AudioEngine } from "./audio/AudioEngine.js";
import { Connection } from "./net/Connection.js";
import { runtime } from "./state/runtime.js";
import { HeadSender } from "./people/headSender.js";
import { MouthSender } from "./voice/MouthSender.js";
import { AvatarPicker, myAvatar } from "./ui/AvatarPicker.js";
import { XrButtons } from "./ui/XrButtons.js";
import { setXrActions } from "./xr/xrSupport.js";
import { voiceStatus } from "./voice/voiceStore.js";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./ui/LanguageSwitch.js";
import { LatencyPanel } from "./ui/LatencyPanel.js";
import { TablePanel } from "./ui/TablePanel.js";
import { dropCard } from "./ui/cardDrop.js";
import { currentPlace, withInvite } from "./net/place.js";

export function App() {
  const { t } = useTranslation();
  const conn = useMemo(() => {
    let c: Connection | null = null;
    const audio = new AudioEngine((id, played, done) => c?.reportPlayback(id, played, done), (gap) => c?.reportGap(gap));
    runtime.audio = audio;
    c = new Connection(audio, myName(), personId(), myAvatar());
    runtime.head = new HeadSender((yaw, pitch) => c?.sendHead(yaw, pitch) ?? false);
    return c;
  }, []);
  const mic = useMemo(() => {
    const mouth = new MouthSender(() => runtime.audio?.ctx ?? null, (frame) => conn.sendVisemes(frame));
    // while the microphone is on, the page's sound goes where Chrome's echo canceller hears it
    return new Microphone(conn, { onStream: (s) => { mouth.attach(s); void runtime.audio?.loopback.micLive(s !== null); } });
  }, [conn]);
  // what a headset's controllers do: the same actions as the page's buttons
  useEffect(() => setXrActions({
    mic,
    micState: () => ({ mic: voiceStatus.mic, mode: voiceStatus.mode, speaking: voiceStatus.speaking }),
    nominate: (id) => conn.nominate(id),
    stop: () => conn.sendStop(),
  }), [mic, conn]);
  // the studio changes the server's character library: the host's
  const host = useUi((s) => s.room.people[s.sessionId]?.role === "host");
  const characterIds = useUi((s) => Object.keys(s.room.characters).join(","));
  useEffect(() => { restoreVolumes(characterIds ? characterIds.split(",") : []); }, [characterIds]);
  const cardActions = useMemo(() => ({
    nominate: (id: string) => conn.nominate(id),
    askMemory: (id: string) => conn.askMemory(id),
    forget: (id: string, factId?: number) => conn.forget(id, factId),
    forgetMe: () => conn.forgetMe(),
  }), [conn]);
  const tableActions = useMemo(() => ({
    mute: (sessionId: string, muted: boolean) => conn.mutePerson(sessionId, muted),
    remove: (sessionId: string) => conn.removePerson(sessionId),
  }), [conn]);

  useEffect(() => {
    void conn.connect();
    // audio may only start after a gesture in normal browsers
    const resume = () => runtime.audio?.resume();
    window.addEventListener("pointerdown", resume);
    window.addEventListener("keydown", resume);
    return () => {
      window.removeEventListener("pointerdown", resume);
      window.removeEventListener("keydown", resume);
      void mic.stop();
      void conn.close();
    };
  }, [conn, mic]);

  return (
    <div
      className="app"
      onDragOver={(e) => { if (e.dataTransfer.types.includes("Files")) e.preventDefault(); }}
      onDrop={(e) => {
        // a character card dropped on the room joins the table; a .vrm seats it for the character whose card is open
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        if (dropCard(file)) return;
        const id = uiStore.get().selectedCharacter;
        if (!id) { uiStore.set({ lastError: { code: "bad_message", message: t("app.dropNeedsCard"), at: Date.now(), local: true } }); return; }
        void uploadAvatar(id, file).catch((err: Error) => uiStore.set({ lastError: { code: "bad_message", message: err.message, at: Date.now(), local: true } }));
      }}
    >
      <div className="stage"><RoomScene onNominate={(id) => conn.nominate(id)} /></div>
      <XrButtons />
      {/* the header and the status lines share the space left of the side panel, and wrap there */}
      <div className="overlay-top">
        <header className="top">
          <h1>Parley</h1>
          <TablePanel actions={tableActions} />
          <NameField onChange={(n) => conn.setName(n)} />
          <SettingsPanel onChange={(p) => conn.changeSettings(p)} />
          <CastBar />
          {host && <a className="studio-link" href={withInvite(`/studio?table=${encodeURIComponent(currentPlace().tableId)}`)}>{t("app.studio")}</a>}
          <LanguageSwitch />
        </header>
        <StatusBanner />
      </div>
      <NameCard actions={cardActions} />
      <aside className="side">
        <Transcript />
        <AvatarPicker onChange={(url) => conn.setAvatar(url)} />
        <MicPanel mic={mic} />
        <LatencyPanel />
        <ChatPanel onSend={(t) => conn.sendChat(t)} onStop={() => conn.sendStop()} />
      </aside>
    </div>
  );
}
