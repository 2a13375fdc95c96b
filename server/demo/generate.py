# Draws the demo services' images (server/demo/*.png, embedded by `service-market demo`):
# a gradient banner with a phone mock-up, and a row of three screens, in each service's hue.
# Standard library only; rerun from this folder to redraw them.
import zlib, struct, colorsys, sys
def png(w,h,rows):
    raw=b''.join(b'\x00'+bytes(r) for r in rows)
    def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)
    return b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',w,h,8,2,0,0,0))+chunk(b'IDAT',zlib.compress(raw,9))+chunk(b'IEND',b'')
def rgb(h,s,v): return tuple(int(c*255) for c in colorsys.hsv_to_rgb(h,s,v))
def draw(hue, kind, W=720, H=405):
    img=[[0]*(W*3) for _ in range(H)]
    a=rgb(hue,0.55,0.95); b=rgb((hue+0.08)%1,0.75,0.75)
    for y in range(H):
        row=img[y]
        for x in range(W):
            t=(x/W*0.6+y/H*0.4)
            row[3*x:3*x+3]=[int(a[i]*(1-t)+b[i]*t) for i in range(3)]
    def rect(x0,y0,x1,y1,c,r=0):
        for y in range(max(0,y0),min(H,y1)):
            for x in range(max(0,x0),min(W,x1)):
                if r:
                    cx=min(max(x,x0+r),x1-r-1); cy=min(max(y,y0+r),y1-r-1)
                    if (x-cx)**2+(y-cy)**2>r*r: continue
                img[y][3*x:3*x+3]=list(c)
    def circle(cx,cy,r,c):
        for y in range(max(0,cy-r),min(H,cy+r)):
            for x in range(max(0,cx-r),min(W,cx+r)):
                if (x-cx)**2+(y-cy)**2<=r*r: img[y][3*x:3*x+3]=list(c)
    white=(255,255,255); soft=rgb(hue,0.12,1.0); accent=rgb((hue+0.5)%1,0.6,0.9); dark=rgb(hue,0.6,0.45)
    if kind=='cover':
        circle(600,70,120,rgb(hue,0.35,1.0)); circle(90,360,90,rgb((hue+0.05)%1,0.45,0.9))
        rect(430,60,630,420,dark,26); rect(440,72,620,410,white,20)
        rect(455,95,605,150,soft,10)
        for i in range(4): rect(455,165+i*52,605,205+i*52,soft,8); circle(478,185+i*52,12,accent)
        rect(70,130,360,160,white,12); rect(70,180,300,200,soft,8); rect(70,215,330,235,soft,8)
        rect(70,270,200,310,accent,20)
    else:
        for k in range(3):
            x0=60+k*210
            rect(x0,40,x0+180,380,dark,22); rect(x0+8,50,x0+172,370,white,16)
            rect(x0+20,65,x0+160,110,soft,8)
            for i in range(3+k%2):
                rect(x0+20,125+i*55,x0+160,165+i*55,soft,8); circle(x0+40,145+i*55,11,accent if (i+k)%2 else dark)
    return png(W,H,img)
services={'membership':0.08,'restaurant':0.02,'queue':0.55,'hotel':0.6,'carwash':0.5,'fitness':0.33,'festival':0.95,'custom':0.68}
for name,hue in services.items():
    for kind in ('cover','screens'):
        data=draw(hue,kind)
        open(f'{name}-{kind}.png','wb').write(data)
        print(name,kind,len(data))
