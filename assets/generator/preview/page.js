// Browser side of the preview tool: loads VRMs and renders contact sheets.
// Driven by shoot.ts through window.preview.* (all functions return PNG data URLs).
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { VRMLoaderPlugin, VRMUtils } from "@pixiv/three-vrm";

const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.outputColorSpace = THREE.SRGBColorSpace;
document.body.appendChild(renderer.domElement);

const scene = new THREE.Scene();
scene.background = new THREE.Color("#e9edf2");
// MToon divides by PI (Lambert), so a PI-intensity key light shows the base colour.
const key = new THREE.DirectionalLight(0xffffff, Math.PI * 0.95);
key.position.set(-1.2, 2.2, 3.0);
scene.add(key);
scene.add(new THREE.AmbientLight(0xffffff, Math.PI * 0.28));
const floor = new THREE.Mesh(new THREE.CircleGeometry(0.5, 48), new THREE.MeshBasicMaterial({ color: "#d5dbe3" }));
floor.rotation.x = -Math.PI / 2;

const camera = new THREE.PerspectiveCamera(24, 1, 0.05, 50);
const cache = new Map();

async function load(id, base) {
  if (cache.has(id)) return cache.get(id);
  const loader = new GLTFLoader();
  loader.register((p) => new VRMLoaderPlugin(p));
  const gltf = await loader.loadAsync(`${base}/${id}.vrm`);
  const vrm = gltf.userData.vrm;
  VRMUtils.rotateVRM0(vrm);
  vrm.scene.traverse((o) => (o.frustumCulled = false));
  cache.set(id, vrm);
  return vrm;
}

function settle(vrm, seconds = 1) {
  for (let i = 0; i < seconds * 60; i++) vrm.update(1 / 60);
}

function resetPose(vrm) {
  vrm.humanoid.resetNormalizedPose();
  vrm.scene.position.set(0, 0, 0);
  vrm.scene.rotation.set(0, 0, 0);
}

/** Relaxed standing pose: arms down by the sides, slight elbow bend. */
function relaxedPose(vrm) {
  const h = vrm.humanoid;
  const b = (n) => h.getNormalizedBoneNode(n);
  b("leftUpperArm").rotation.set(0, 0, -1.22);
  b("rightUpperArm").rotation.set(0, 0, 1.22);
  b("leftLowerArm").rotation.set(0, -0.25, 0);
  b("rightLowerArm").rotation.set(0, 0.25, 0);
  for (const s of ["left", "right"]) {
    const k = s === "left" ? 1 : -1;
    for (const f of ["Index", "Middle", "Ring", "Little"]) {
      b(`${s}${f}Proximal`).rotation.set(0, 0, -0.25 * k);
      b(`${s}${f}Intermediate`).rotation.set(0, 0, -0.3 * k);
      b(`${s}${f}Distal`).rotation.set(0, 0, -0.2 * k);
    }
  }
}

/** Seated at a table: knees at 90 degrees, forearms resting forward. */
function seatedPose(vrm) {
  const h = vrm.humanoid;
  const b = (n) => h.getNormalizedBoneNode(n);
  b("leftUpperLeg").rotation.set(-Math.PI / 2, 0, 0.06);
  b("rightUpperLeg").rotation.set(-Math.PI / 2, 0, -0.06);
  b("leftLowerLeg").rotation.set(Math.PI / 2, 0, 0);
  b("rightLowerLeg").rotation.set(Math.PI / 2, 0, 0);
  b("spine").rotation.set(0.08, 0, 0);
  b("leftUpperArm").rotation.set(0, -0.35, -1.15);
  b("rightUpperArm").rotation.set(0, 0.35, 1.15);
  b("leftLowerArm").rotation.set(0, -1.45, 0);
  b("rightLowerArm").rotation.set(0, 1.45, 0);
  b("leftHand").rotation.set(0, 0, 0.2);
  b("rightHand").rotation.set(0, 0, -0.2);
}

function headPos(vrm) {
  vrm.scene.updateMatrixWorld(true);
  const p = new THREE.Vector3();
  vrm.humanoid.getRawBoneNode("head").getWorldPosition(p);
  return p;
}

function renderTo(ctx, x, y, w, h) {
  renderer.setSize(w, h, false);
  camera.aspect = w / h;
  camera.updateProjectionMatrix();
  renderer.render(scene, camera);
  ctx.drawImage(renderer.domElement, x, y, w, h);
}

function sheet(w, h) {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#e9edf2";
  ctx.fillRect(0, 0, w, h);
  return { c, ctx };
}

function label(ctx, text, x, y) {
  ctx.fillStyle = "#3b4250";
  ctx.font = "600 15px sans-serif";
  ctx.textAlign = "center";
  ctx.fillText(text, x, y);
}

function setExpr(vrm, name, w = 1) {
  for (const e of vrm.expressionManager.expressions) vrm.expressionManager.setValue(e.expressionName, 0);
  if (name && name !== "none") vrm.expressionManager.setValue(name, w);
  vrm.update(0);
}

window.preview = {
  ready: true,

  /** Free camera shot for debugging: pose = "t" | "relaxed" | "seated". */
  async view(id, base, { yaw = 0, pose = "t", w = 500, h = 700, camY = 0.95, dist = 4.6, lookY = 0.82, fov = 24, expr = "none" } = {}) {
    const vrm = await load(id, base);
    resetPose(vrm);
    if (pose === "relaxed") relaxedPose(vrm);
    if (pose === "seated") seatedPose(vrm);
    setExpr(vrm, expr);
    scene.add(vrm.scene);
    settle(vrm);
    const { c, ctx } = sheet(w, h);
    camera.fov = fov;
    camera.position.set(Math.sin(yaw) * dist, camY, Math.cos(yaw) * dist);
    camera.lookAt(0, lookY, 0);
    renderTo(ctx, 0, 0, w, h);
    camera.fov = 24;
    scene.remove(vrm.scene);
    return c.toDataURL("image/png");
  },

  /** Front, 3/4 and back views of one avatar in a relaxed pose. */
  async body(id, base, cellW = 340, cellH = 560) {
    const vrm = await load(id, base);
    resetPose(vrm);
    relaxedPose(vrm);
    setExpr(vrm, "none");
    scene.add(vrm.scene, floor);
    settle(vrm);
    const { c, ctx } = sheet(cellW * 3, cellH);
    const views = [0, 0.65, Math.PI];
    views.forEach((yaw, i) => {
      const d = 4.6;
      camera.position.set(Math.sin(yaw) * d, 0.95, Math.cos(yaw) * d);
      camera.lookAt(0, 0.82, 0);
      renderTo(ctx, i * cellW, 0, cellW, cellH);
    });
    scene.remove(vrm.scene, floor);
    return c.toDataURL("image/png");
  },

  /** Face close-ups for a list of expressions. */
  async face(id, base, exprs, cols = 4, cell = 260) {
    const vrm = await load(id, base);
    resetPose(vrm);
    relaxedPose(vrm);
    scene.add(vrm.scene);
    settle(vrm, 0.5);
    const rows = Math.ceil(exprs.length / cols);
    const { c, ctx } = sheet(cols * cell, rows * (cell + 24));
    const hp = headPos(vrm);
    const eye = hp.y + vrm.lookAt.offsetFromHeadBone.y;
    exprs.forEach((ex, i) => {
      setExpr(vrm, ex);
      camera.position.set(0.0, eye + 0.01, 0.95);
      camera.lookAt(0, eye - 0.012, 0);
      const x = (i % cols) * cell, y = Math.floor(i / cols) * (cell + 24);
      renderTo(ctx, x, y, cell, cell);
      label(ctx, ex, x + cell / 2, y + cell + 18);
    });
    setExpr(vrm, "none");
    scene.remove(vrm.scene);
    return c.toDataURL("image/png");
  },

  /** Seated pose (front + side) to check joint deformation. */
  async pose(id, base, cellW = 360, cellH = 420) {
    const vrm = await load(id, base);
    resetPose(vrm);
    seatedPose(vrm);
    setExpr(vrm, "happy", 0.6);
    scene.add(vrm.scene);
    settle(vrm);
    const { c, ctx } = sheet(cellW * 3, cellH);
    [0, Math.PI / 2, 0.8].forEach((yaw, i) => {
      const d = 3.4;
      camera.position.set(Math.sin(yaw) * d, 1.15, Math.cos(yaw) * d);
      camera.lookAt(0, 0.82, 0.15);
      renderTo(ctx, i * cellW, 0, cellW, cellH);
    });
    setExpr(vrm, "none");
    scene.remove(vrm.scene);
    return c.toDataURL("image/png");
  },

  /** The whole cast side by side. */
  async cast(ids, base, w = 1200, h = 520) {
    const vrms = [];
    for (const id of ids) vrms.push(await load(id, base));
    const spacing = 0.62;
    vrms.forEach((vrm, i) => {
      resetPose(vrm);
      relaxedPose(vrm);
      setExpr(vrm, i % 3 === 0 ? "happy" : i % 3 === 1 ? "relaxed" : "none", i % 3 === 0 ? 0.35 : 0.5);
      vrm.scene.position.x = (i - (vrms.length - 1) / 2) * spacing;
      vrm.scene.rotation.y = -vrm.scene.position.x * 0.12;
      scene.add(vrm.scene);
      settle(vrm);
    });
    const { c, ctx } = sheet(w, h);
    const span = vrms.length * spacing;
    camera.fov = 20;
    const d = Math.max(5.5, (span * 0.55) / Math.tan((camera.fov * Math.PI) / 360) / (w / h));
    camera.position.set(0, 1.05, d);
    camera.lookAt(0, 0.86, 0);
    renderTo(ctx, 0, 0, w, h);
    camera.fov = 24;
    for (const vrm of vrms) scene.remove(vrm.scene);
    return c.toDataURL("image/png");
  },
};
