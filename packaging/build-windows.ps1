# Windows .msi with jpackage. NOT BUILT OR TESTED by this project (no Windows machine): run it in
# PowerShell on Windows with a JDK 17+ (jpackage included) and WiX Toolset 3.x on the PATH
# (jpackage 17 needs candle.exe and light.exe), after
#   .\mvnw.cmd -pl app -am package -DskipTests
# which puts the Windows natives (windows-x86_64-onednn-avx2, chosen by the pom's profiles) into the jar.
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
#       -> target\packaging\Diffusion Explorer-<version>.msi (Start menu entry, desktop shortcut)
#   $env:KEEP_NATIVES_IN_JAR = "1" first: fallback where natives stay in the jar and JavaCPP copies
#       them to %USERPROFILE%\.javacpp\cache on first start.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

$name = "Diffusion Explorer"
$jar = "app\target\diffusion-explorer.jar"
$out = "target\packaging"
$pomVersion = ([xml](Get-Content pom.xml)).project.version
# The .msi wants numbers only: 0.1.0-SNAPSHOT is packaged as 0.1.0.
$version = if ($env:APP_VERSION) { $env:APP_VERSION } else { $pomVersion.Split("-")[0] }

if (-not (Test-Path $jar)) { & .\mvnw.cmd -q -pl app -am package -DskipTests; if ($LASTEXITCODE) { exit 1 } }
Remove-Item -Recurse -Force "$out\input" -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$out\input\assets" | Out-Null
Copy-Item -Recurse assets\datasets, assets\models, assets\plans "$out\input\assets\"

# The parallel collector, as on Linux (packaging/README.md, Start-up).
$opts = @("--java-options", '-Ddiffusion.assets=$APPDIR\assets', "--java-options", "-XX:+UseParallelGC")
if ($env:KEEP_NATIVES_IN_JAR -eq "1") {
    Copy-Item $jar "$out\input\"
} else {
    & java packaging\NativeLayout.java $jar "$out\input\diffusion-explorer.jar" "$out\input\natives"
    if ($LASTEXITCODE) { exit 1 }
    $opts += @("--java-options", '-Djava.library.path=$APPDIR\natives',
               "--java-options", "-Dorg.bytedeco.javacpp.pathsFirst=true")
}

# A fixed upgrade code, so a newer .msi replaces an older one instead of installing beside it.
& jpackage --type msi --dest $out `
    --name $name --app-version $version `
    --vendor "Diffusion Explorer project" `
    --description "Watch an image diffusion model learn, from the inside" `
    --icon assets\icons\diffusion-explorer.ico `
    --input "$out\input" --main-jar diffusion-explorer.jar `
    --main-class org.diffusionexplorer.app.Launcher `
    --win-menu --win-menu-group $name --win-shortcut --win-dir-chooser `
    --win-upgrade-uuid 6f1b7a52-3c0e-4d7a-9a51-2f8f0c6d1e34 `
    @opts
if ($LASTEXITCODE) { exit 1 }
Get-ChildItem "$out\*.msi"
