/** The 3D room: a warm-lit round table, characters and people in one ring of places, my place as the camera. */
import { Canvas } from "@react-three/fiber";
import { useUi, uiStore } from "../state/store.js";
import { runtime } from "../state/runtime.js";
import { Avatar } from "./Avatar.js";
import { FrameLoop } from "./FrameLoop.js";
import { DesktopCamera } from "./DesktopCamera.js";
import { TABLE } from "./layout.js";
import { QUALITY } from "./quality.js";
import { useXrUi } from "../xr/xrSupport.js";
import { NO_SEAT } from "@parley/shared";

/** A headset session's parts, once their chunk has loaded (nothing of XR is loaded before). */
function XrSlot() {
  const requested = useXrUi((s) => s.requested);
  const module = useXrUi((s) => s.module);
  return requested && module ? <module.XrLayer mode={requested} /> : null;
}

function Table() {
  return (
    <group>
      <mesh position={[0, TABLE.height - 0.025, 0]} receiveShadow>
        <cylinderGeometry args={[TABLE.radius, TABLE.radius, 0.05, 48]} />
        <meshStandardMaterial color="#8b5e3c" roughness={0.55} />
      </mesh>
      <mesh position={[0, TABLE.height / 2, 0]}>
        <cylinderGeometry args={[0.08, 0.12, TABLE.height - 0.05, 16]} />
        <meshStandardMaterial color="#5c3b22" roughness={0.6} />
      </mesh>
      <mesh position={[0, 0.02, 0]}>
        <cylinderGeometry args={[0.4, 0.45, 0.04, 24]} />
        <meshStandardMaterial color="#5c3b22" roughness={0.6} />
      </mesh>
      {/* a candle for warmth */}
      <mesh position={[0, TABLE.height + 0.06, 0]}>
        <cylinderGeometry args={[0.03, 0.03, 0.12, 12]} />
        <meshStandardMaterial color="#f3ead8" emissive="#6b4a1f" emissiveIntensity={0.3} />
      </mesh>
      <pointLight position={[0, TABLE.height + 0.2, 0]} intensity={1.2} distance={3} color="#ffb46b" />
    </group>
  );
}

function RoomShell() {
  return (
    <group>
      <mesh rotation={[-Math.PI / 2, 0, 0]}>
        <circleGeometry args={[6, 48]} />
        <meshStandardMaterial color="#3d2f2a" roughness={0.9} />
      </mesh>
      <mesh position={[0, 2.5, -4.5]}>
        <planeGeometry args={[14, 5]} />
        <meshStandardMaterial color="#4a3a4f" roughness={1} />
      </mesh>
    </group>
  );
}

/** `?avatars=off` draws the room without avatars (the empty-room baseline of the render benchmark). */
const SHOW_AVATARS = typeof location === "undefined" || new URLSearchParams(location.search).get("avatars") !== "off";

export function RoomScene({ onNominate }: { onNominate?: (id: string) => void }) {
  const characters = useUi((s) => s.room.characters);
  const people = useUi((s) => s.room.people);
  const me = useUi((s) => s.sessionId);
  const view = useXrUi((s) => s.view);
  const list = SHOW_AVATARS ? Object.values(characters).sort((a, b) => a.seat - b.seat) : [];
  // my own avatar is for the others: my camera sits where its head would be
  const others = SHOW_AVATARS ? Object.values(people).filter((p) => p.sessionId !== me && p.avatarUrl && p.seat !== NO_SEAT) : [];
  const pick = (id: string): void => {
    uiStore.set({ selectedCharacter: id });
    // when people pick speakers, a click is a pick
    if (uiStore.get().room.settings.policy === "manual") onNominate?.(id);
  };
  return (
    <Canvas
      camera={{ fov: 42, near: 0.05, far: 40 }}
      dpr={QUALITY.dpr}
      gl={{ antialias: QUALITY.antialias, powerPreference: "high-performance" }}
      onCreated={({ gl }) => gl.setClearColor("#241c22")}
    >
      <DesktopCamera />
      <hemisphereLight args={["#ffe9d2", "#3a2a30", 0.9]} />
      <directionalLight position={[1.5, 3, 2.5]} intensity={1.6} color="#fff1e0" />
      <directionalLight position={[-2, 2, -1]} intensity={0.5} color="#b7c7ff" />
      {view.shell && <RoomShell />}
      {view.table && <Table />}
      <group visible={view.cast}>
        {list.map((c) => (
          <Avatar key={c.id} id={c.id} url={c.avatarUrl} seat={c.seat} rigs={runtime.rigs} onPick={pick} />
        ))}
        {others.map((p) => (
          <Avatar key={p.sessionId} id={p.sessionId} url={p.avatarUrl} seat={p.seat} rigs={runtime.people} />
        ))}
      </group>
      <XrSlot />
      <FrameLoop />
    </Canvas>
  );
}
