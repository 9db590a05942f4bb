export const electronPackageDir: string;
export function installedElectron(): string | undefined;
