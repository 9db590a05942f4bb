// The popover's preload: gives the sandboxed page `window.entraTray` (PopoverApi), a few named functions and one
// subscription, and never ipcRenderer or an event object. Bundled into one CommonJS file (scripts/build-ui.mjs):
// a sandboxed preload can require nothing but Electron's renderer modules.
import { contextBridge, ipcRenderer } from "electron";
import type { IpcRendererEvent } from "electron";
import { PopoverPush, PopoverRequest } from "../ipc/popover-contract.js";
import type { PopoverApi, PopoverRequestName, PopoverView, ReplyOf, RequestOf } from "../ipc/popover-contract.js";

const invoke = <N extends PopoverRequestName>(channel: N, request: RequestOf<N>): Promise<ReplyOf<N>> =>
  ipcRenderer.invoke(channel, request) as Promise<ReplyOf<N>>;

const api: PopoverApi = {
  view: () => invoke(PopoverRequest.view, null),
  signIn: async (options) => void (await invoke(PopoverRequest.signIn, { selectAccount: options.selectAccount === true })),
  cancelSignIn: async () => void (await invoke(PopoverRequest.cancelSignIn, null)),
  signOut: async () => void (await invoke(PopoverRequest.signOut, null)),
  copy: (target) => invoke(PopoverRequest.copy, target),
  switchProfile: async (profile) => void (await invoke(PopoverRequest.switchProfile, { profile })),
  switchAccount: async (homeAccountId) => void (await invoke(PopoverRequest.switchAccount, { homeAccountId })),
  startDemo: async () => void (await invoke(PopoverRequest.startDemo, null)),
  openConfigFile: async () => void (await invoke(PopoverRequest.openConfigFile, null)),
  settings: () => invoke(PopoverRequest.settings, null),
  saveSettings: (patch) => invoke(PopoverRequest.saveSettings, patch),
  addProfile: (profile) => invoke(PopoverRequest.addProfile, profile),
  onView(listener) {
    const forward = (_event: IpcRendererEvent, view: PopoverView) => listener(view);
    ipcRenderer.on(PopoverPush.view, forward);
    return () => void ipcRenderer.removeListener(PopoverPush.view, forward);
  },
  onShowSettings(listener) {
    // Nothing of the event goes to the page: it only learns that it should show its settings.
    const forward = () => listener();
    ipcRenderer.on(PopoverPush.showSettings, forward);
    return () => void ipcRenderer.removeListener(PopoverPush.showSettings, forward);
  },
};

contextBridge.exposeInMainWorld("entraTray", api);
